// Machine facts for the report header.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { loadavg } from './report.mjs';

function tryRun(cmd, args) {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

export function machineInfo() {
  const cpu = fs.readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/)?.[1] ?? os.cpus()[0]?.model;
  const mem = (os.totalmem() / 2 ** 30).toFixed(0);
  return {
    cpu,
    cores: os.cpus().length,
    memGiB: mem,
    kernel: os.release(),
    node: process.version,
    chromium: tryRun('/usr/bin/chromium', ['--version']) ?? 'not installed',
    firefox: tryRun('/usr/bin/firefox-esr', ['--version']) ?? 'not installed',
    gcc: tryRun('gcc', ['-dumpfullversion']),
    emcc: tryRun(process.env.CAMPAIGN_STORE_EMCC ?? '/usr/bin/emcc', ['--version'])?.split('\n')[0] ?? 'not installed',
    loadavg: loadavg(),
    date: new Date().toISOString(),
  };
}
