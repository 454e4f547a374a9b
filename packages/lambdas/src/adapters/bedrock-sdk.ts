// The part of @aws-sdk/client-bedrock the profile adapter uses, loaded on first use by
// ./bedrock-inference-profiles.ts. Named re-exports, so the bundle keeps only these
// (a dynamic import of the package itself would keep every command of the client).
export {
  BedrockClient,
  CreateInferenceProfileCommand,
  DeleteInferenceProfileCommand,
  ListInferenceProfilesCommand,
  ListTagsForResourceCommand,
} from '@aws-sdk/client-bedrock';
