/**
 * The parts of `docker compose config --format json` (Compose v2) that the
 * compose rules read or rewrite. Every object keeps unknown fields through an
 * index signature, so a rewrite passes through what it does not understand.
 */

/** A port in the long form that `config` always prints (short forms are normalised away). */
export interface ComposePort {
  target: number;
  /** A port ("9000") or a range ("8000-8010"); absent when compose picks one. */
  published?: string | number;
  host_ip?: string;
  protocol?: string;
  mode?: string;
  name?: string;
  app_protocol?: string;
  [key: string]: unknown;
}

export interface ComposeHealthcheck {
  test?: string[] | string;
  disable?: boolean;
  interval?: string;
  timeout?: string;
  retries?: number;
  start_period?: string;
  [key: string]: unknown;
}

export interface ComposeService {
  image?: string;
  build?: unknown;
  pull_policy?: string;
  container_name?: string;
  ports?: ComposePort[];
  /** `config` prints a map; the list form (`KEY=VALUE`) is accepted for hand-written input. */
  labels?: Record<string, string> | string[];
  healthcheck?: ComposeHealthcheck;
  network_mode?: string;
  /** Values are `null` when a service joins a network without options. */
  networks?: Record<string, unknown>;
  volumes?: unknown[];
  depends_on?: Record<string, unknown>;
  environment?: Record<string, string | null>;
  [key: string]: unknown;
}

/** A top-level network or volume. */
export interface ComposeResource {
  name?: string;
  external?: boolean;
  labels?: Record<string, string> | string[];
  [key: string]: unknown;
}

export interface ComposeConfig {
  /** The project name `config` ran with; `up -p` sets the real one. */
  name?: string;
  services: Record<string, ComposeService>;
  /** `null` entries are tolerated for hand-written input (`networks: { backend: }`). */
  networks?: Record<string, ComposeResource | null>;
  volumes?: Record<string, ComposeResource | null>;
  [key: string]: unknown;
}

/** The key and value of the label cleanup searches for (`io.goflow.run=<run id>`). */
export interface RunLabel {
  key: string;
  value: string;
}
