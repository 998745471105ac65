import type { AppConfig } from '../../config.ts';
import { createHttpSmsClient, createSmtpClient, createZnsClient, type Providers } from './providers.ts';

/**
 * The providers the configuration names. A channel left unconfigured is off (no development outbox in a
 * real deployment): with SMS alone, a phone is reached by SMS; with no SMTP, e-mail is not sent.
 */
export function createConfiguredProviders(config: Pick<AppConfig, 'sms' | 'zalo' | 'smtp'>): Providers {
  return {
    kind: 'http',
    znsTemplateIds: config.zalo?.templateIds ?? {},
    zalo: config.zalo
      ? createZnsClient({ url: config.zalo.url, accessToken: config.zalo.accessToken })
      : null,
    sms: config.sms
      ? createHttpSmsClient({ url: config.sms.url, apiKey: config.sms.token, sender: config.sms.sender })
      : null,
    email: config.smtp ? createSmtpClient(config.smtp) : null,
  };
}
