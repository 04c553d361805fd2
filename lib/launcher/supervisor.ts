import { spawn, type ChildProcess } from "node:child_process";
import type { Logger } from "../log";

export interface ServiceSpec {
  name: string;
  command: string;
  args: string[];
  env: Record<string, string | undefined>;
  /** Restart when it dies on its own (crash), at most this many times per minute. */
  restartsPerMinute: number;
  /** How long a graceful SIGTERM may take before SIGKILL. */
  stopTimeoutMs: number;
}

/**
 * One supervised child process: own process group (a terminal Ctrl-C reaches only the launcher,
 * which stops children in order), output forwarded line by line, restarted after a crash.
 */
export class Service {
  private child: ChildProcess | undefined;
  private stopping = false;
  private restarts: number[] = [];
  private exitWaiters: Array<() => void> = [];

  constructor(
    readonly spec: ServiceSpec,
    private readonly log: Logger,
    private readonly onGiveUp: (service: Service) => void,
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): void {
    const child = spawn(this.spec.command, this.spec.args, {
      env: this.spec.env as NodeJS.ProcessEnv,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.child = child;
    forwardLines(child.stdout, process.stdout);
    forwardLines(child.stderr, process.stderr);
    child.once("exit", (code, signal) => {
      this.child = undefined;
      for (const resolve of this.exitWaiters.splice(0)) resolve();
      if (this.stopping) return;
      const now = Date.now();
      this.restarts = this.restarts.filter((t) => now - t < 60_000);
      if (this.restarts.length >= this.spec.restartsPerMinute) {
        this.log.error({ service: this.spec.name, code, signal }, "service keeps crashing; giving up");
        this.onGiveUp(this);
        return;
      }
      this.restarts.push(now);
      this.log.warn({ service: this.spec.name, code, signal }, "service exited unexpectedly; restarting");
      setTimeout(() => {
        if (!this.stopping) this.start();
      }, 1000);
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (!child?.pid) return;
    const exited = new Promise<void>((resolve) => this.exitWaiters.push(resolve));
    child.kill("SIGTERM");
    const timer = setTimeout(() => {
      this.log.warn({ service: this.spec.name }, "service did not stop in time; killing it");
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
    }, this.spec.stopTimeoutMs);
    await exited;
    clearTimeout(timer);
  }
}

function forwardLines(from: NodeJS.ReadableStream | null, to: NodeJS.WritableStream): void {
  from?.on("data", (chunk: Buffer) => to.write(chunk));
}
