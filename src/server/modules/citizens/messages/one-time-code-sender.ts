import { AppError } from '../../../../core/errors.ts';

/** One short message carrying a one-time code to a citizen. */
export type OneTimeCodeMessage = {
  channel: 'sms';
  /** The phone number, as VNeID gave it. Never logged. */
  to: string;
  /** The code alone (a gateway may template its own text). */
  code: string;
  /** The whole message, in Vietnamese. */
  text: string;
};

/**
 * Sends one-time codes to citizens (SMS today). A sender throws AppError SMS_GATEWAY_FAILED (the
 * gateway answered with an error) or SMS_GATEWAY_UNAVAILABLE (no answer, not configured), and nothing
 * else the officer could act on.
 */
export type OneTimeCodeSender = {
  readonly kind: 'development' | 'http' | 'none';
  /**
   * Resolves once the gateway took the message. `shownCode` is the code itself only from the
   * development sender in demo mode (no real SMS exists locally), for the officer's screen; else null.
   */
  send(message: OneTimeCodeMessage): Promise<{ shownCode: string | null }>;
};

/**
 * The local sender `npm start` uses when no gateway is configured: nothing leaves the machine. In demo
 * mode the code comes back to the officer's screen, labelled as the demo's; outside demo mode
 * (MOTCUA_DEMO=false) it refuses, as a missing gateway must not look like a sent code nor show one.
 */
export function createDevelopmentCodeSender(options: { demo: boolean }): OneTimeCodeSender {
  return {
    kind: options.demo ? 'development' : 'none',
    async send(message) {
      if (!options.demo) throw new AppError('SMS_GATEWAY_UNAVAILABLE');
      return { shownCode: message.code };
    },
  };
}
