export { Name, DefaultBinder, newDefaultBinder } from './default_binder';
