// Entry of the node runner's worker thread: teach node TypeScript (tsx), then load the worker.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
