export * from './hostile-tenant-folders';
