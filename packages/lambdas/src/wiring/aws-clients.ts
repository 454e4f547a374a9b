/**
 * AWS SDK clients as the functions create them in Lambda: region and
 * credentials from the runtime environment. Only the DynamoDB document
 * client is configured further (undefined attributes are dropped rather than
 * rejected).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export function documentClient(client: DynamoDBClient = new DynamoDBClient({})): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}
