// Runs the local DynamoDB (dynalite + the transaction front, ADR 0201) in its
// own process, as DynamoDB is a remote service for a Lambda: the bench's
// handler process must not also do the database's work. Creates the tables
// named on the command line (`name:partitionKey`), prints
// `{"endpoint": "http://127.0.0.1:<port>"}` and runs until stdin closes.
import { startLocalDynamoDb } from '../src/testing/local-dynamodb';

async function main(): Promise<void> {
  const dynamo = await startLocalDynamoDb();
  for (const spec of process.argv.slice(2)) {
    const [name, key] = spec.split(':');
    await dynamo.createTable(name ?? spec, key ?? 'pk');
  }
  process.stdout.write(`${JSON.stringify({ endpoint: dynamo.endpoint })}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => void dynamo.close().then(() => process.exit(0)));
}

void main();
