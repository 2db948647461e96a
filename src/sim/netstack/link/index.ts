export { NetNS, broadcastOf, type Link as NetLink, type LinkKind, type Address as NetAddress, type Route as NetRoute, type Neighbour, type FdbEntry, type RouteDecision } from './netns';

export { formatIpAddr, formatIpRoute, formatIpNeigh, formatBridgeFdb } from './format';
