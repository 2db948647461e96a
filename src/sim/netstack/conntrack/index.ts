export {
  Conntrack, natPacket, invert, formatEntry, KERNEL_TIMEOUTS, KUBE_PROXY_TIMEOUTS,
  type CtEntry, type Tuple, type TcpState, type TcpFlags, type Direction, type ConntrackTimeouts,
} from './conntrack';
