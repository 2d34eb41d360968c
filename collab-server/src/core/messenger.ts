/**
 * How the core reaches clients: API Gateway's management API in production and locally
 * (`PostToConnection`, `DeleteConnection`). A 410 Gone answer is a result, not an error.
 */
export interface ConnectionMessenger {
  /** Sends one text frame; 'gone' when the connection no longer exists. */
  post(connectionId: string, frame: string): Promise<'sent' | 'gone'>;
  /** Closes the connection from the server side. */
  close(connectionId: string): Promise<void>;
}
