import { config } from 'zod';

/**
 * Runs before any of the app's modules (Next.js `instrumentation-client`), so before the schemas
 * of `@patchline/shared` are built. Zod compiles object parsers with `new Function` and probes
 * for it as each schema is built; the Content-Security-Policy allows no eval (`proxy.ts`), and
 * even the caught probe is reported as a violation. The browser parses small values only, where
 * the compiled parsers gain nothing.
 */
config({ jitless: true });
