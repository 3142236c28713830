import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { clusterRedisEndpoints, formatRedisClusterNodes, type RedisNodeAddress, redisNodeUrl } from '@app/config';
import { createRedisConnection, type RedisConnection, type RedisTarget } from '@app/queue';
import { findFreePort, redisAnswers } from '@app/runtime';

/** Redis Cluster divides the keyspace into this many hash slots. */
export const CLUSTER_SLOTS = 16384;

const LOOPBACK = '127.0.0.1';

export interface RedisClusterOptions {
  /** Masters, without replicas; 3 by default, the fewest Redis accepts for a cluster. */
  readonly masters?: number;
  /**
   * cluster-node-timeout: how long a node may be unreachable before the others mark it failed. Short
   * by default (2 s, Redis's is 15 s), since a master that failed serves again only after twice this.
   */
  readonly nodeTimeoutMs?: number;
  /** `appendfsync always`: a killed node loses nothing it acknowledged (slower); else `everysec`. */
  readonly fsyncEveryWrite?: boolean;
  /** The server binary; `redis-server` on PATH unless given. */
  readonly executable?: string;
  /** How long start-up, a node's restart or a wait for a state may take. */
  readonly timeoutMs?: number;
}

export interface RedisClusterNode {
  readonly index: number;
  readonly port: number;
  /** The cluster bus port (Redis's default, port + 10000, may be above 65535 for a free port). */
  readonly busPort: number;
  readonly directory: string;
  /** The slots given to this master at start: `first` to `last`, both included. */
  readonly slots: { readonly first: number; readonly last: number };
}

interface RunningNode extends RedisClusterNode {
  process: ChildProcess | undefined;
}

/**
 * A Redis Cluster of a few masters on free loopback ports, each a `redis-server` from PATH with
 * its data in one temporary directory, for tests: slots are assigned and nodes introduced over
 * plain connections (CLUSTER ADDSLOTSRANGE, CLUSTER MEET), as `redis-cli --cluster create` does.
 *
 * Nothing outlives the test process: `stop()` kills the servers and removes the directory; a
 * process exit that skips it kills them synchronously; and a watchdog process does both if the
 * test process dies outright (a SIGKILL, a jest worker torn down).
 */
export class RedisClusterFixture {
  private startDuration = 0;
  private readonly nodeList: RunningNode[] = [];
  private stopped = false;
  private readonly killAllNow = (): void => {
    // A process exit that skipped `stop()`: nothing asynchronous runs any more.
    for (const node of this.nodeList) node.process?.kill('SIGKILL');
    rmSync(this.directory, { recursive: true, force: true });
  };

  private constructor(
    readonly directory: string,
    private readonly settings: Required<RedisClusterOptions>,
  ) {
    process.on('exit', this.killAllNow);
  }

  static async start(options: RedisClusterOptions = {}): Promise<RedisClusterFixture> {
    const settings: Required<RedisClusterOptions> = {
      masters: options.masters ?? 3,
      nodeTimeoutMs: options.nodeTimeoutMs ?? 2000,
      fsyncEveryWrite: options.fsyncEveryWrite ?? false,
      executable: options.executable ?? 'redis-server',
      timeoutMs: options.timeoutMs ?? 30_000,
    };
    if (settings.masters < 1 || settings.masters > 32) throw new Error(`a test cluster has 1 to 32 masters, not ${settings.masters}`);
    if (spawnSync(settings.executable, ['--version']).error !== undefined) {
      throw new Error(`${settings.executable} was not found on PATH: a Redis Cluster test needs redis-server 7 or later (apt-get install redis-server)`);
    }
    const fixture = new RedisClusterFixture(mkdtempSync(join(tmpdir(), 'crossroads-redis-cluster-')), settings);
    startWatchdog(fixture.directory);
    const started = Date.now();
    try {
      await fixture.create();
      fixture.startDuration = Date.now() - started;
      return fixture;
    } catch (error) {
      await fixture.stop();
      throw error;
    }
  }

  /** Spawns the nodes, gives each a slot range, introduces them, and waits until all agree. */
  private async create(): Promise<void> {
    const ports = new Set<number>();
    const masters = this.settings.masters;
    for (let index = 0; index < masters; index += 1) {
      const directory = join(this.directory, `node-${index}`);
      await mkdir(directory);
      // A port found free may be taken before the server binds it (another test starting a server): try others.
      for (let attempt = 1; ; attempt += 1) {
        const node: RunningNode = {
          index,
          port: await uniqueFreePort(ports),
          busPort: await uniqueFreePort(ports),
          directory,
          slots: { first: Math.floor((index * CLUSTER_SLOTS) / masters), last: Math.floor(((index + 1) * CLUSTER_SLOTS) / masters) - 1 },
          process: undefined,
        };
        this.nodeList[index] = node;
        try {
          await spawnNode(node, this.settings);
          break;
        } catch (error) {
          if (attempt === 3) throw error;
          // A fresh directory, so the next server does not find the failed one's node identity.
          rmSync(directory, { recursive: true, force: true });
          await mkdir(directory);
        }
      }
    }
    for (const node of this.nodeList) {
      await withNode(node.port, async (redis) => {
        // Distinct epochs from the start, so no two masters ever claim slots with the same epoch.
        await redis.call('CLUSTER', 'SET-CONFIG-EPOCH', String(node.index + 1));
        await addSlots(redis, node.slots.first, node.slots.last);
      });
    }
    const [first, ...others] = this.nodeList;
    await withNode(first.port, async (redis) => {
      for (const other of others) await redis.call('CLUSTER', 'MEET', LOOPBACK, String(other.port), String(other.busPort));
    });
    await this.waitForState('ok');
  }

  /** Wall time from the first spawn to every node reporting `cluster_state:ok`. */
  get startedInMs(): number {
    return this.startDuration;
  }

  get nodes(): readonly RedisClusterNode[] {
    return this.nodeList;
  }

  /** The seed nodes, as `AppConfig.redis.clusterNodes` holds them. */
  get addresses(): readonly RedisNodeAddress[] {
    return this.nodeList.map((node) => ({ host: LOOPBACK, port: node.port }));
  }

  /** The value of REDIS_CLUSTER_NODES for a config (`createTestContext`, `loadAppConfig`) or a child process. */
  get clusterNodesVariable(): string {
    return formatRedisClusterNodes(this.addresses);
  }

  /** For `createRedisConnection` and `ServiceEndpoints`. */
  get endpoints(): RedisTarget {
    return clusterRedisEndpoints(this.addresses);
  }

  isRunning(index: number): boolean {
    return this.node(index).process !== undefined;
  }

  /** The hash slot of a key, as the cluster computes it (a `{tag}` hashes by the tag alone). */
  async keySlot(key: string): Promise<number> {
    return withNode(this.anyRunningNode().port, async (redis) => Number(await redis.call('CLUSTER', 'KEYSLOT', key)));
  }

  /** The master serving a slot now, according to the cluster (CLUSTER SLOTS). */
  async ownerOfSlot(slot: number): Promise<RedisClusterNode> {
    const ranges = (await withNode(this.anyRunningNode().port, (redis) => redis.call('CLUSTER', 'SLOTS'))) as Array<
      [number, number, [string, number, ...unknown[]]]
    >;
    const range = ranges.find(([first, last]) => first <= slot && slot <= last);
    const owner = range === undefined ? undefined : this.nodeList.find((node) => node.port === Number(range[2][1]));
    if (owner === undefined) throw new Error(`no master of this cluster serves slot ${slot}`);
    return owner;
  }

  /** Which masters hold keys under a prefix, read node by node (SCAN sees only its own node). */
  async mastersHolding(prefix: string): Promise<number[]> {
    const holders: number[] = [];
    for (const node of this.nodes) {
      const redis = this.connectToNode(node.index);
      try {
        let cursor = '0';
        do {
          const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
          if (keys.length > 0) {
            holders.push(node.index);
            break;
          }
          cursor = next;
        } while (cursor !== '0');
      } finally {
        redis.disconnect();
      }
    }
    return holders;
  }

  /** A plain connection to one node (not the cluster): for looking at what that node alone holds. The caller closes it. */
  connectToNode(index: number): RedisConnection {
    return createRedisConnection(redisNodeUrl({ host: LOOPBACK, port: this.node(index).port }), { maxRetriesPerRequest: 0, retryStrategy: () => null });
  }

  /**
   * Stops one node: SIGKILL for a crash (the default), SIGTERM for an orderly shutdown. Its data
   * and cluster identity stay, for `startNode`. The others mark it failed after the node timeout.
   */
  async stopNode(index: number, signal: 'SIGKILL' | 'SIGTERM' = 'SIGKILL'): Promise<void> {
    await killNode(this.node(index), signal);
  }

  /** Starts a stopped node again on its port with its data, and waits until the cluster is ok. */
  async startNode(index: number): Promise<void> {
    const node = this.node(index);
    if (node.process !== undefined) throw new Error(`node ${index} of the cluster is already running`);
    await spawnNode(node, this.settings);
    await this.waitForState('ok');
  }

  /** Every node down (crashed by default) and up again, as after a power cut; waits until the cluster is ok. */
  async restart(signal: 'SIGKILL' | 'SIGTERM' = 'SIGKILL'): Promise<void> {
    await Promise.all(this.nodeList.map((node) => killNode(node, signal)));
    for (const node of this.nodeList) await spawnNode(node, this.settings);
    await this.waitForState('ok');
  }

  /**
   * Waits until every running node reports `cluster_state` as given: `ok` also needs every node to
   * know all the others and every slot assigned; `fail` is what a master down for longer than the
   * node timeout leads to.
   */
  async waitForState(state: 'ok' | 'fail', timeoutMs = this.settings.timeoutMs): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const running = this.nodeList.filter((node) => node.process !== undefined);
      const reports = await Promise.all(running.map((node) => withNode(node.port, (redis) => redis.cluster('INFO')).catch(() => '')));
      const stateReached = reports.every((info) => clusterInfoField(info, 'cluster_state') === state);
      const complete = reports.every(
        (info) =>
          clusterInfoField(info, 'cluster_known_nodes') === String(this.nodeList.length) &&
          clusterInfoField(info, 'cluster_slots_assigned') === String(CLUSTER_SLOTS),
      );
      if (stateReached && (state === 'fail' || complete)) return;
      if (Date.now() > deadline) {
        const seen = reports.map((info, index) => `node ${running[index].index}: ${info.split(/\r?\n/).slice(0, 7).join(' ')}`).join('; ');
        throw new Error(`the Redis Cluster did not reach cluster_state:${state} within ${timeoutMs} ms (${seen})`);
      }
      await sleep(50);
    }
  }

  /** Kills every node and removes the data directory. Safe to call twice, and after a failed start. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await Promise.all(this.nodeList.map((node) => killNode(node, 'SIGKILL')));
    rmSync(this.directory, { recursive: true, force: true });
    process.off('exit', this.killAllNow);
  }

  private node(index: number): RunningNode {
    const node = this.nodeList[index];
    if (node === undefined) throw new Error(`the cluster has no node ${index}`);
    return node;
  }

  private anyRunningNode(): RunningNode {
    const node = this.nodeList.find((candidate) => candidate.process !== undefined);
    if (node === undefined) throw new Error('no node of the cluster is running');
    return node;
  }
}

function clusterInfoField(info: string, name: string): string | undefined {
  return new RegExp(`^${name}:(.*?)\\r?$`, 'm').exec(info)?.[1];
}

async function uniqueFreePort(taken: Set<number>): Promise<number> {
  for (;;) {
    const port = await findFreePort(LOOPBACK);
    if (!taken.has(port)) {
      taken.add(port);
      return port;
    }
  }
}

/** Starts (or restarts, on its port and data) one node's server and waits until it answers. */
async function spawnNode(node: RunningNode, settings: Required<RedisClusterOptions>): Promise<void> {
  const child = spawn(
    settings.executable,
    [
      '--port',
      String(node.port),
      '--bind',
      LOOPBACK,
      '--cluster-enabled',
      'yes',
      '--cluster-port',
      String(node.busPort),
      '--cluster-config-file',
      'nodes.conf',
      '--cluster-node-timeout',
      String(settings.nodeTimeoutMs),
      '--dir',
      node.directory,
      '--appendonly',
      'yes',
      '--appendfsync',
      settings.fsyncEveryWrite ? 'always' : 'everysec',
      '--save',
      '',
      '--logfile',
      'redis.log',
      '--loglevel',
      'notice',
      '--daemonize',
      'no',
    ],
    // Same process group as the test: a Ctrl-C on the test run stops the servers too.
    { stdio: 'ignore' },
  );
  // A test that forgets `stop()` must not hang its jest worker: the exit hook and the watchdog clean up.
  child.unref();
  node.process = child;
  let exited = false;
  child.once('exit', () => {
    exited = true;
    if (node.process === child) node.process = undefined;
  });
  child.once('error', () => undefined);
  // The watchdog reads this to kill the server if the test process dies.
  if (child.pid !== undefined) writeFileSync(join(node.directory, 'server.pid'), String(child.pid));
  const deadline = Date.now() + settings.timeoutMs;
  while (!exited && !(await redisAnswers(redisNodeUrl({ host: LOOPBACK, port: node.port }), 250))) {
    if (Date.now() > deadline) break;
    await sleep(50);
  }
  if (exited || node.process !== child) {
    throw new Error(`redis-server for cluster node ${node.index} exited at start (port ${node.port}): ${logTail(node.directory)}`);
  }
  if (Date.now() > deadline) {
    await killNode(node, 'SIGKILL');
    throw new Error(`redis-server for cluster node ${node.index} did not answer on port ${node.port}: ${logTail(node.directory)}`);
  }
}

async function killNode(node: RunningNode, signal: 'SIGKILL' | 'SIGTERM'): Promise<void> {
  const child = node.process;
  if (child === undefined) return;
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
    child.kill(signal);
    // An orderly shutdown writes the append-only file; a stuck one is killed after a while.
    const forced = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(forced);
  }
  node.process = undefined;
  rmSync(join(node.directory, 'server.pid'), { force: true });
}

function logTail(directory: string): string {
  const path = join(directory, 'redis.log');
  if (!existsSync(path)) return 'no log written';
  return readFileSync(path, 'utf8').trim().split('\n').slice(-5).join(' | ');
}

async function withNode<T>(port: number, work: (redis: RedisConnection) => Promise<T>): Promise<T> {
  const redis = createRedisConnection(redisNodeUrl({ host: LOOPBACK, port }), {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: 1000,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return await work(redis);
  } finally {
    redis.disconnect();
  }
}

/** ADDSLOTSRANGE (Redis 7) in one command; older servers take the slots one by one. */
async function addSlots(redis: RedisConnection, first: number, last: number): Promise<void> {
  try {
    await redis.call('CLUSTER', 'ADDSLOTSRANGE', String(first), String(last));
  } catch (error) {
    if (!/unknown subcommand/i.test(String(error))) throw error;
    const slots = Array.from({ length: last - first + 1 }, (_, offset) => String(first + offset));
    await redis.call('CLUSTER', 'ADDSLOTS', ...slots);
  }
}

/**
 * A small node process that outlives a test process killed outright (no exit hook runs then):
 * once its parent is gone it kills the servers whose pids the node directories hold and removes
 * the data. It leaves on its own as soon as the directory is gone (an orderly stop).
 */
const WATCHDOG = `
const { existsSync, readdirSync, readFileSync, rmSync } = require('node:fs');
const { join } = require('node:path');
const [parentPid, directory] = process.argv.slice(1);
const alive = (pid) => { try { process.kill(pid, 0); return true; } catch (error) { return error.code === 'EPERM'; } };
setInterval(() => {
  if (!existsSync(directory)) process.exit(0);
  if (alive(Number(parentPid))) return;
  for (const entry of readdirSync(directory)) {
    try { process.kill(Number(readFileSync(join(directory, entry, 'server.pid'), 'utf8')), 'SIGKILL'); } catch {}
  }
  rmSync(directory, { recursive: true, force: true });
  process.exit(0);
}, 500);
`;

function startWatchdog(directory: string): void {
  // Its own session, so the signal that kills the test's process group cannot take it first.
  const watchdog = spawn(process.execPath, ['-e', WATCHDOG, String(process.pid), directory], { stdio: 'ignore', detached: true });
  watchdog.unref();
}
