// `ferry login` and `ferry whoami`: save an API URL and token as a profile (mode 0600) and say who the
// token is.
import type { Command } from 'commander';
import { createApiClient, unwrap } from '../client.js';
import { saveProfile } from '../connection.js';
import { withContext } from '../context.js';
import { UsageError } from '../errors.js';
import type { CliSettings } from '../settings.js';

export function registerLogin(program: Command, settings: CliSettings): void {
  program
    .command('login')
    .description(
      `check a token against an API and save both as a profile (${settings.profilePath}, mode 0600)`,
    )
    .option('--name <profile>', 'profile name', 'default')
    .addHelpText(
      'after',
      '\nExamples:\n  $ ferry login --api https://ferry.example.com --token "$FERRY_TOKEN"\n  $ ferry login --name reviewer --token ferry_… \n',
    )
    .action(
      withContext(settings, async ({ out, conn }, o: { name: string }) => {
        if (!conn.token) throw new UsageError('login needs a token: --token TOKEN or FERRY_TOKEN');
        const api = createApiClient(conn);
        const me = unwrap(await api.GET('/v1/whoami'));
        await saveProfile(settings.profilePath, o.name, { url: conn.url, token: conn.token });
        if (out.data({ profile: o.name, url: conn.url, ...me, path: settings.profilePath })) return;
        out.line(
          `logged in to ${conn.url} as ${me.name} (${me.role}); profile "${o.name}" saved to ${settings.profilePath}`,
        );
      }),
    );

  program
    .command('whoami')
    .description('who the token is, its role, and where the CLI found it')
    .action(
      withContext(settings, async ({ out, api, conn }) => {
        const me = unwrap(await api.GET('/v1/whoami'));
        if (out.data({ ...me, url: conn.url, tokenSource: conn.tokenSource })) return;
        out.fields([
          ['name', me.name],
          ['role', me.role],
          ['api', conn.url],
          ['token from', conn.tokenSource],
        ]);
      }),
    );
}
