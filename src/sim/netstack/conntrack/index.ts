export {
  Conntrack, natPacket, invert, formatEntry, KERNEL_TIMEOUTS, KUBE_PROXY_TIMEOUTS,
  type CtEntry, type Tuple as CtTuple, type TcpState, type TcpFlags, type Direction as CtDirection, type ConntrackTimeouts,
} from './conntrack';
