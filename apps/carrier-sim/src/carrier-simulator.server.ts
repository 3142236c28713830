import { createServer, type Server } from 'node:http';

/**
 * The local stand-in for Twilio's REST API. For now it only reports its health; the subset of
 * the API we use (Calls.json, Messages.json, signed status callbacks) arrives with the phone work.
 */
export function createCarrierSimulatorServer(): Server {
  return createServer((request, response) => {
    response.setHeader('content-type', 'application/json');
    if (request.method === 'GET' && request.url === '/health') {
      response.writeHead(200).end(JSON.stringify({ status: 'ok' }));
      return;
    }
    response.writeHead(501).end(JSON.stringify({ code: 20004, message: `${request.method} ${request.url} is not simulated yet`, status: 501 }));
  });
}
