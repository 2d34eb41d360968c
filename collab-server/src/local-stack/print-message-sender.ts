import type { MessageSender } from 'cognito-local/lib/services/messageDelivery/messageSender.js';

/**
 * Stands in for email and SMS locally: cognito-local's own console sender logs at `info`, which
 * the stack's quiet logger hides, so sign-up confirmation and password-reset codes are printed
 * here, where `npm start`'s output shows them.
 */
export const printMessageSender: MessageSender = {
  async sendEmail(_ctx, user, destination, message) {
    console.log(
      `[cognito-local] email to ${destination} (${user.Username}): code ${message.__code ?? '(none)'}`,
    );
  },
  async sendSms(_ctx, user, destination, message) {
    console.log(
      `[cognito-local] SMS to ${destination} (${user.Username}): code ${message.__code ?? '(none)'}`,
    );
  },
};
