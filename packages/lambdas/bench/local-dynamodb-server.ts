// Runs the local DynamoDB (dynalite + the transaction front, ADR 0201) in its
// own process, as DynamoDB is a remote service for a Lambda: the bench's
// handler process must not also do the database's work. Creates the tables
// named on the command line (`name:platformTableId`, e.g. `tenants:tenantTable`), prints
// `{"endpoint": "http://127.0.0.1:<port>"}` and runs until stdin closes.
import { PLATFORM_TABLE_IDS, PlatformTableId } from '../src/adapters/dynamodb/table-schemas';
import { startLocalDynamoDb } from '../src/testing/local-dynamodb';

async function main(): Promise<void> {
  const dynamo = await startLocalDynamoDb();
  for (const spec of process.argv.slice(2)) {
    const [name, table] = spec.split(':');
    if (!name || !PLATFORM_TABLE_IDS.includes(table as PlatformTableId)) {
      throw new Error(`table spec ${JSON.stringify(spec)} is not <name>:<table>, with <table> one of ${PLATFORM_TABLE_IDS.join(', ')}`);
    }
    await dynamo.createTable(name, table as PlatformTableId);
  }
  process.stdout.write(`${JSON.stringify({ endpoint: dynamo.endpoint })}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => void dynamo.close().then(() => process.exit(0)));
}

void main();
