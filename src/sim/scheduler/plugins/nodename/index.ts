export { Name, ErrReason, NodeName, fits, newNodeName } from './node_name';
