export { parseLine, quoteWord, type ParsedLine } from './parse';
export {
  Shell,
  ShellUsageError,
  createShell,
  type Command,
  type CommandContext,
  type Completion,
  type ShellIO,
} from './registry';
export { LineEditor, type LineEditorOptions } from './line-editor';
export { registerTraceCommand, type TraceSource } from './trace-command';
export { registerWorkbenchCommands, MAX_SEED, type WorkbenchActions } from './workbench-commands';
export { ansi, stripAnsi } from './ansi';
export { registerKubectl, createKubectl } from './kubectl/index';
export { registerEtcdctl } from './etcdctl/index';
export { VirtualFs, registerFsCommands } from './vfs';
export { registerClusterCommands, statusTable, type ClusterTarget, type MemberStatus } from './cluster/index';
export { registerSsh, type NodeShells } from './ssh';
export { registerNetworkCommands, podExecFor } from './network/index';
