import { findFreePort } from '@app/runtime';
import { createTestContext, type TestContext } from '@app/testing';
import { type CarrierSimulator, type CarrierSimulatorOptions, createCarrierSimulator, SILENT_LOG } from '../apps/carrier-sim/src';

/** A carrier simulator listening, and a test context whose api (not started yet) the simulator's callbacks reach. */
export interface CarrierContext {
  readonly simulator: CarrierSimulator;
  readonly simulatorUrl: string;
  readonly context: TestContext;
  /** The port the api is to listen on: `PUBLIC_BASE_URL` and `API_PORT` already name it. */
  readonly apiPort: number;
  readonly baseUrl: string;
}

export interface CarrierContextOptions {
  /** The simulator's options but its credentials (the configured ones); silent unless a log is given. */
  readonly simulator: Omit<CarrierSimulatorOptions, 'accountSid' | 'authToken'>;
  /** More configuration for the context (after the carrier's, so a test may override those too). */
  readonly environment?: Readonly<Record<string, string>>;
  /** Inbound texts go to the api's messaging webhook. */
  readonly inboundTexts?: boolean;
}

export async function startCarrierContext(options: CarrierContextOptions): Promise<CarrierContext> {
  // The simulator signs with the configured credentials, and the api must know the simulator's URL: credentials first.
  const probe = await createTestContext();
  let simulator: CarrierSimulator;
  try {
    simulator = createCarrierSimulator({
      log: SILENT_LOG,
      ...options.simulator,
      accountSid: probe.config.carrierSimulator.accountSid,
      authToken: probe.config.carrierSimulator.authToken,
    });
  } finally {
    await probe.dispose();
  }
  try {
    const { url: simulatorUrl } = await simulator.listen(0);
    const apiPort = await findFreePort();
    const baseUrl = `http://127.0.0.1:${apiPort}`;
    const context = await createTestContext({ CARRIER_SIM_URL: simulatorUrl, PUBLIC_BASE_URL: baseUrl, API_PORT: String(apiPort), ...options.environment });
    if (options.inboundTexts === true) {
      simulator.setScenario({
        ...simulator.scenario(),
        messages: { ...simulator.scenario().messages, inboundUrl: `${baseUrl}/api/webhooks/twilio/messages/inbound` },
      });
    }
    return { simulator, simulatorUrl, context, apiPort, baseUrl };
  } catch (error) {
    // A context that did not start leaves nothing listening (jest would not exit).
    await simulator.close();
    throw error;
  }
}
