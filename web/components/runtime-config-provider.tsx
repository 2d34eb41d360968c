'use client';

import { createContext, type ReactNode, useContext } from 'react';
import type { RuntimeConfig } from '@/lib/runtime-config';

const RuntimeConfigContext = createContext<RuntimeConfig | null>(null);

/** Hands the request-time config (read by the root layout on the server) to client components. */
export function RuntimeConfigProvider({ config, children }: { config: RuntimeConfig; children: ReactNode }) {
  return <RuntimeConfigContext.Provider value={config}>{children}</RuntimeConfigContext.Provider>;
}

/** The stack this page talks to: API, WebSocket gateway and Cognito. */
export function useRuntimeConfig(): RuntimeConfig {
  const config = useContext(RuntimeConfigContext);
  if (!config) throw new Error('useRuntimeConfig must be used inside <RuntimeConfigProvider>');
  return config;
}
