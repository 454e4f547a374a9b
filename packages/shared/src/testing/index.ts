export * from './edge-test-vectors';
