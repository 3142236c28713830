import { loadAppConfigOrExit } from '@app/config';
import { onShutdownSignal } from '@app/runtime';
import { createCarrierSimulatorServer } from './carrier-simulator.server';

const config = loadAppConfigOrExit();
const server = createCarrierSimulatorServer();
server.listen(config.carrierSimulator.port, '127.0.0.1', () => {
  process.stdout.write(
    `${JSON.stringify({ level: 'info', service: 'carrier-sim', message: 'carrier simulator listening', port: config.carrierSimulator.port })}\n`,
  );
});
onShutdownSignal(() => new Promise<void>((resolveClose) => server.close(() => resolveClose())), config.shutdownTimeoutMs);
