export { NetNS, broadcastOf, type Link, type LinkKind, type Address, type Route, type Neighbour, type FdbEntry, type RouteDecision } from './netns';
export { randomMac } from './mac';
export { formatIpAddr, formatIpRoute, formatIpNeigh, formatBridgeFdb } from './format';
