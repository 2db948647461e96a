export { Name, ErrReason, NodePorts, fits, fitsPorts, newNodePorts } from './node_ports';
