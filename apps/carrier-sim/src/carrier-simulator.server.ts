import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/** The HTTP server around the router; keep-alive sockets are closed with the server. */
export function createCarrierSimulatorServer(handle: (request: IncomingMessage, response: ServerResponse) => Promise<void>): Server {
  return createServer((request, response) => {
    void handle(request, response);
  });
}
