// Command-line entry: `node --import tsx apps/local-cloud/src/main.ts up [--port 4566] [--time-scale N]`.
import { runLocalCloudCli } from './cli';

process.exitCode = await runLocalCloudCli(process.argv.slice(2));
