export { Host, newHost, klogHeader, type HostOptions, type HostState, type Listener, type MemoryFigures } from './host';
export { HostFS, cleanPath, type FsState, type FsNode, type FileInfo, type FileType, type FsChange } from './fs';
export { Systemd, UnitNotFoundError, journalLine, formatTimestamp, formatRelative, type UnitFile, type UnitState, type UnitProgram, type JournalEntry, type ActiveState, type SubState } from './systemd';
export { PathError, LinkError, strerror, isNotExist, type Errno } from './errors';
export { hostEvents, type HostEventMap, type HostTraceEvent } from './events';
export { EXECUTABLES, PATH } from './seed';
export { hostInvariantViolations } from './invariants';
