import type { IncomingMessage } from 'node:http';
import { Logger, type OnModuleInit } from '@nestjs/common';
import { type OnGatewayConnection, type OnGatewayDisconnect, WebSocketGateway } from '@nestjs/websockets';
import type { WebSocket } from 'ws';
import { CallStateChannel, type CallStateMessage, PhoneBankService } from '@app/contacts';
import { SessionService, type SignedInUser } from '@app/identity';
import { SESSION_COOKIE } from '../auth/session-cookie';

interface Listener {
  readonly socket: WebSocket;
  readonly user: SignedInUser;
}

/**
 * The console's live call state. A browser connects with its session cookie, says which of its
 * calling sessions to watch, and hears each call's status as the worker applies the carrier's
 * events. The messages carry ids and statuses only, never a voter's details.
 */
@WebSocketGateway({ path: '/api/realtime' })
export class CallStateGateway implements OnGatewayConnection, OnGatewayDisconnect, OnModuleInit {
  private readonly logger = new Logger(CallStateGateway.name);
  private readonly watchers = new Map<string, Set<WebSocket>>();
  private readonly listeners = new Map<WebSocket, Listener>();

  constructor(
    private readonly sessions: SessionService,
    private readonly phoneBank: PhoneBankService,
    private readonly channel: CallStateChannel,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.channel.subscribe((message) => this.deliver(message));
  }

  async handleConnection(socket: WebSocket, request: IncomingMessage): Promise<void> {
    const token = cookieOf(request.headers.cookie, SESSION_COOKIE);
    const user = token === undefined ? null : await this.sessions.authenticate(token);
    if (user === null) {
      socket.close(4401, 'Sign in first');
      return;
    }
    this.listeners.set(socket, { socket, user });
    socket.on('message', (data) => void this.onMessage(socket, String(data)));
    socket.send(JSON.stringify({ event: 'ready' }));
  }

  handleDisconnect(socket: WebSocket): void {
    this.listeners.delete(socket);
    for (const [sessionId, sockets] of this.watchers) {
      sockets.delete(socket);
      if (sockets.size === 0) this.watchers.delete(sessionId);
    }
  }

  private async onMessage(socket: WebSocket, text: string): Promise<void> {
    const listener = this.listeners.get(socket);
    if (listener === undefined) return;
    let message: { event?: unknown; sessionId?: unknown };
    try {
      message = JSON.parse(text) as typeof message;
    } catch {
      socket.send(JSON.stringify({ event: 'error', message: 'Messages are JSON' }));
      return;
    }
    if (message.event !== 'watch' || typeof message.sessionId !== 'string') {
      socket.send(JSON.stringify({ event: 'error', message: 'Send {"event":"watch","sessionId":"…"}' }));
      return;
    }
    if (!(await this.ownsSession(listener.user, message.sessionId))) {
      socket.send(JSON.stringify({ event: 'error', message: 'That calling session is not yours' }));
      return;
    }
    const sockets = this.watchers.get(message.sessionId) ?? new Set<WebSocket>();
    sockets.add(socket);
    this.watchers.set(message.sessionId, sockets);
    socket.send(JSON.stringify({ event: 'watching', sessionId: message.sessionId }));
  }

  private async ownsSession(user: SignedInUser, sessionId: string): Promise<boolean> {
    try {
      return (await this.phoneBank.ownerOfSession(sessionId)) === user.userId;
    } catch (error) {
      this.logger.debug({ message: 'watch refused', error: String(error) });
      return false;
    }
  }

  private deliver(message: CallStateMessage): void {
    const payload = JSON.stringify({ event: 'call', ...message });
    for (const socket of this.watchers.get(message.sessionId) ?? []) {
      if (socket.readyState === socket.OPEN) socket.send(payload);
    }
  }
}

function cookieOf(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return decodeURIComponent(value.join('='));
  }
  return undefined;
}
