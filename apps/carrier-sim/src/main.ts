import { loadAppConfigOrExit } from '@app/config';
import { onShutdownSignal } from '@app/runtime';
import { createCarrierSimulator } from './carrier-simulator';
import { jsonLineLog } from './simulator-log';

const config = loadAppConfigOrExit();
const { accountSid, authToken, callsPerSecond, port } = config.carrierSimulator;
// Texts to our numbers go where Twilio would send them: the api's incoming-message webhook.
const inboundUrl = `${config.telephony.webhookBaseUrl}/api/webhooks/twilio/messages/inbound`;
const simulator = createCarrierSimulator({ accountSid, authToken, callsPerSecond, log: jsonLineLog(config.log.level), scenario: { messages: { inboundUrl } } });
simulator.listen(port, '127.0.0.1').catch((error: unknown) => {
  process.stderr.write(`carrier simulator could not listen on port ${port}: ${String(error)}\n`);
  process.exit(1);
});
onShutdownSignal(() => simulator.close(), config.shutdownTimeoutMs);
