import { STATUS_CODES } from "node:http";
import { startRequestDeadline } from "./http.js";

export interface ListTagNamesOptions {
  /** owner/name */
  repository: string;
  /** The REST API's root: https://api.github.com, or GITHUB_API_URL on GitHub Enterprise Server. */
  apiUrl: string;
  token: string;
  /** Safety stop: 100 tags per page. */
  maxPages?: number;
  /** Each page's request, body included, is given up after this long. */
  timeoutMs?: number;
}

/**
 * The names of a repository's tags, every page of `GET /repos/{owner}/{repo}/tags`
 * (up to maxPages) through Octokit. Throws on any answer but a 2xx list, with
 * the status and the URL in the message: the caller decides what a missing
 * list means.
 */
export async function listTagNames(options: ListTagNamesOptions): Promise<string[]> {
  const maxPages = options.maxPages ?? 50;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const slash = options.repository.indexOf("/");
  if (slash <= 0 || slash === options.repository.length - 1)
    throw new Error(`repository ${JSON.stringify(options.repository)} is not owner/name`);
  const owner = options.repository.slice(0, slash);
  const repo = options.repository.slice(slash + 1);

  // Loaded on first use: it is a bundle of its own (dist/vendor/, see scripts/build.mjs) that reads the
  // event payload when loaded, which a step that lists no tags should not pay for.
  const { getOctokit } = await import("@actions/github");
  const octokit = getOctokit(options.token, {
    baseUrl: options.apiUrl.replace(/\/+$/, ""),
    userAgent: "goflow-actions",
  });
  // Every page's request, not only the first: paginate passes per-call `request` options on to none of them.
  octokit.hook.wrap("request", async (request, endpoint) => {
    const url = octokit.request.endpoint(endpoint).url;
    // A ref'd deadline, so the process stays alive while GitHub answers (see startRequestDeadline).
    const deadline = startRequestDeadline(timeoutMs);
    let response: Awaited<ReturnType<typeof request>>;
    try {
      // Set on the options themselves: the hooks inside this one (the token's) get those, not what is passed on.
      endpoint.request = { ...endpoint.request, signal: deadline.signal };
      response = await request(endpoint);
    } catch (error) {
      // Every refusal becomes an error without a status, which also keeps paginate from taking a 409 for an empty list.
      throw new Error(failureText(error, url, deadline.timedOut() ? timeoutMs : undefined), { cause: error });
    } finally {
      deadline.clear();
    }
    // Octokit reads a body cut short by the deadline as an empty one.
    if (deadline.timedOut()) throw new Error(`no response within ${timeoutMs} ms`);
    // Checked before paginate sees it: it would take "" for an empty list and choke on other text.
    if (!Array.isArray(response.data)) throw new Error(`unexpected answer from ${url}`);
    return response;
  });

  const names: string[] = [];
  if (maxPages < 1) return names;
  let pages = 0;
  // The route as a type argument too: without it TypeScript 7 matches no overload once `headers` is given.
  const route = "GET /repos/{owner}/{repo}/tags";
  for await (const response of octokit.paginate.iterator<typeof route>(route, {
    owner,
    repo,
    per_page: 100,
    headers: { accept: "application/vnd.github+json", "x-github-api-version": "2022-11-28" },
  })) {
    for (const entry of response.data as unknown[]) {
      if (typeof entry === "object" && entry !== null && "name" in entry && typeof entry.name === "string")
        names.push(entry.name);
    }
    if (++pages >= maxPages) break;
  }
  return names;
}

/** `401 Unauthorized from <url>` for an HTTP answer, else what went wrong (refused, timed out). */
function failureText(error: unknown, url: string, timedOutAfterMs: number | undefined): string {
  if (timedOutAfterMs !== undefined) return `no response within ${timedOutAfterMs} ms`;
  const status = httpStatusOf(error);
  if (status !== undefined) return `${[status, STATUS_CODES[status]].filter(Boolean).join(" ")} from ${url}`;
  return error instanceof Error ? error.message : String(error);
}

/** The status of an Octokit RequestError that carries a response (one without has no answer at all). */
function httpStatusOf(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null || !("response" in error) || !error.response)
    return undefined;
  return "status" in error && typeof error.status === "number" ? error.status : undefined;
}
