/** The nftables proxier (GA in v1.33): its public part. */
export { traceNFTablesPacket, type NFTTraceResult } from './tracer';
export { syncNFTablesProxyRules, type SyncNFTablesOptions, type SyncNFTablesResult } from './proxier';
export {
  nftDump,
  nftListTable,
  sortNFTablesTransaction,
  countNFTables,
  type NFTable,
  type NFTChain,
  type NFTSet,
  type NFTElement,
  type NFTRule,
  type NFTCounts,
} from './table';
export {
  hashAndTruncate,
  servicePortChainNameBase,
  servicePortEndpointChainNameBase,
  kubeProxyTable,
} from './names';
