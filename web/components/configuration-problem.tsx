/** What the root layout shows when the server was started without the stack's Cognito ids. */
export function ConfigurationProblem({ missing }: { missing: string[] }) {
  return (
    <main className="mx-auto flex min-h-dvh max-w-xl flex-col justify-center gap-4 p-6">
      <h1 className="text-2xl font-semibold">Patchline is not configured</h1>
      <p className="text-muted-foreground">
        The web server needs to know which Patchline stack to talk to. Set these environment variables and
        restart it:
      </p>
      <ul className="list-disc pl-6 font-mono text-sm">
        {missing.map((name) => (
          <li key={name}>{name}</li>
        ))}
      </ul>
      <p className="text-muted-foreground text-sm">
        Locally, run <code className="font-mono">npm start</code> at the repository root: it starts the stack
        and writes <code className="font-mono">.data/local.json</code>, which this server reads when the
        variables are not set.
      </p>
    </main>
  );
}
