import { createHash, randomBytes } from "node:crypto";

/**
 * Pushes small images straight through a registry's HTTP API, without an
 * engine: a config blob, one random layer and an OCI manifest (or an index
 * of several), so tests can make single- and multi-platform images quickly.
 */
export interface PushedManifest {
  digest: string;
  mediaType: string;
  size: number;
}

const sha256 = (data: Buffer) => `sha256:${createHash("sha256").update(data).digest("hex")}`;

async function uploadBlob(
  url: string,
  repository: string,
  data: Buffer,
  headers: Record<string, string>,
): Promise<string> {
  const digest = sha256(data);
  const start = await fetch(`${url}/v2/${repository}/blobs/uploads/`, { method: "POST", headers });
  if (start.status !== 202) throw new Error(`blob upload: ${start.status} ${await start.text()}`);
  const location = new URL(start.headers.get("location") ?? "", `${url}/`);
  location.searchParams.set("digest", digest);
  const put = await fetch(location, {
    method: "PUT",
    headers: { ...headers, "content-type": "application/octet-stream" },
    body: new Uint8Array(data),
  });
  if (put.status !== 201) throw new Error(`blob put: ${put.status} ${await put.text()}`);
  return digest;
}

async function putManifest(
  url: string,
  repository: string,
  reference: string,
  body: Buffer,
  mediaType: string,
  headers: Record<string, string>,
): Promise<PushedManifest> {
  const response = await fetch(`${url}/v2/${repository}/manifests/${reference}`, {
    method: "PUT",
    headers: { ...headers, "content-type": mediaType },
    body: new Uint8Array(body),
  });
  if (response.status !== 201) throw new Error(`manifest put: ${response.status} ${await response.text()}`);
  return { digest: sha256(body), mediaType, size: body.length };
}

export async function pushTestImage(
  url: string,
  repository: string,
  tag: string,
  options: { architecture?: string; headers?: Record<string, string> } = {},
): Promise<PushedManifest> {
  const headers = options.headers ?? {};
  const config = Buffer.from(
    JSON.stringify({
      architecture: options.architecture ?? "amd64",
      os: "linux",
      rootfs: { type: "layers", diff_ids: [] },
      config: { Labels: { nonce: randomBytes(8).toString("hex") } },
    }),
  );
  const layer = randomBytes(64);
  const configDigest = await uploadBlob(url, repository, config, headers);
  const layerDigest = await uploadBlob(url, repository, layer, headers);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      config: {
        mediaType: "application/vnd.oci.image.config.v1+json",
        digest: configDigest,
        size: config.length,
      },
      layers: [
        { mediaType: "application/vnd.oci.image.layer.v1.tar", digest: layerDigest, size: layer.length },
      ],
    }),
  );
  return putManifest(url, repository, tag, manifest, "application/vnd.oci.image.manifest.v1+json", headers);
}

/** Two single-platform images and the index over them, tagged `tag` (the platform images by digest only). */
export async function pushTestIndex(url: string, repository: string, tag: string): Promise<PushedManifest> {
  const amd64 = await pushTestImage(url, repository, `${tag}-amd64`, { architecture: "amd64" });
  const arm64 = await pushTestImage(url, repository, `${tag}-arm64`, { architecture: "arm64" });
  const index = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.index.v1+json",
      manifests: [
        { ...amd64, platform: { os: "linux", architecture: "amd64" } },
        { ...arm64, platform: { os: "linux", architecture: "arm64" } },
      ],
    }),
  );
  return putManifest(url, repository, tag, index, "application/vnd.oci.image.index.v1+json", {});
}

/** The raw manifest bytes a reference serves, with their digest. */
export async function readManifestBytes(
  url: string,
  repository: string,
  reference: string,
): Promise<{ digest: string; mediaType: string; body: string } | undefined> {
  const response = await fetch(`${url}/v2/${repository}/manifests/${reference}`, {
    headers: {
      accept: "application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json",
    },
  });
  if (response.status === 404) return undefined;
  const body = Buffer.from(await response.arrayBuffer());
  return {
    digest: sha256(body),
    mediaType: response.headers.get("content-type") ?? "",
    body: body.toString("utf8"),
  };
}
