export { createKms } from './kms';
