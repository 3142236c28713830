/** One seed node of a Redis Cluster, as REDIS_CLUSTER_NODES lists it. */
export interface RedisNodeAddress {
  readonly host: string;
  readonly port: number;
}

/** A DNS name or dotted IPv4 address; IPv6 addresses come in brackets and are checked apart. */
const HOST_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const NODE = /^(?:\[([0-9A-Fa-f:.]+)\]|([^\s:[\]]+)):(\d{1,5})$/;

/**
 * `host:port,host:port,…` as seed nodes, or undefined when any entry is not a host (name, IPv4, or
 * IPv6 in brackets) with a port from 1 to 65535, or names a node twice. Seeds only: the client
 * learns the other nodes from the cluster itself.
 */
export function parseRedisClusterNodes(text: string): RedisNodeAddress[] | undefined {
  const nodes: RedisNodeAddress[] = [];
  for (const entry of text.split(',')) {
    const match = NODE.exec(entry.trim());
    if (match === null) return undefined;
    const [, bracketedHost, plainHost, portText] = match;
    const port = Number(portText);
    if (port < 1 || port > 65535) return undefined;
    if (plainHost !== undefined && !HOST_NAME.test(plainHost)) return undefined;
    const host = (bracketedHost ?? plainHost).toLowerCase();
    if (nodes.some((node) => node.host === host && node.port === port)) return undefined;
    nodes.push({ host, port });
  }
  return nodes;
}

/** The inverse of `parseRedisClusterNodes`: the value of REDIS_CLUSTER_NODES for a child process. */
export function formatRedisClusterNodes(nodes: readonly RedisNodeAddress[]): string {
  return nodes.map(formatNode).join(',');
}

/** A `redis://` URL of one node, for messages and for the `redisUrl` of a clustered process. */
export function redisNodeUrl(node: RedisNodeAddress): string {
  return `redis://${formatNode(node)}`;
}

/**
 * What a process that talks to a cluster puts in its `ServiceEndpoints`: the seed nodes, and the
 * first of them as `redisUrl` (never connected to directly: a lone node answers MOVED for the
 * slots it does not own).
 */
export function clusterRedisEndpoints(nodes: readonly RedisNodeAddress[]): { redisUrl: string; redisClusterNodes: readonly RedisNodeAddress[] } {
  return { redisUrl: redisNodeUrl(nodes[0]), redisClusterNodes: nodes };
}

/**
 * The hash tag Redis Cluster hashes keys starting with this prefix by: the text between the first
 * `{` and the first `}` after it, when not empty. Undefined when there is none, and then every key
 * hashes whole, so one queue's keys scatter over many slots.
 */
export function hashTagOf(prefix: string): string | undefined {
  const open = prefix.indexOf('{');
  if (open === -1) return undefined;
  const close = prefix.indexOf('}', open + 1);
  if (close === -1 || close === open + 1) return undefined;
  return prefix.slice(open + 1, close);
}

function formatNode(node: RedisNodeAddress): string {
  return `${node.host.includes(':') ? `[${node.host}]` : node.host}:${node.port}`;
}
