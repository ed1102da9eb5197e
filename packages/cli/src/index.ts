export { EXIT, runCli, type CliIo } from './cli';
