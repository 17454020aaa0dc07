import { type Document, isMap, isScalar, isSeq, parseAllDocuments, type Scalar, visit } from "yaml";
import { ConfigurationError } from "../../errors.js";
import { parseImageReference, sameRepository } from "./image-reference.js";
import {
  applyTextEdits,
  deletePairLine,
  insertPairAfter,
  replaceScalar,
  type TextEdit,
} from "./text-edits.js";

/** The image a promotion pins: the repository, its tested digest and the tag written beside it where a file wants one. */
export interface ImagePin {
  repository: string;
  digest: string;
  /** For a Helm `…tag` key: written as `<tag>@<digest>`, which pins the digest while the chart builds `repo:tag`. */
  tag?: string;
}

export type GitopsFileFormat = "kustomization" | "helm-values" | "manifests";

export interface GitopsFileUpdate {
  format: GitopsFileFormat;
  /** The new text; the old text, byte for byte, when nothing changed. */
  text: string;
  changed: boolean;
  /** What the file pinned before (a digest, a tag or a reference): a rollback promotes that again. */
  previous: string | undefined;
}

const KUSTOMIZATION_FILES = new Set(["kustomization.yaml", "kustomization.yml", "Kustomization"]);

/**
 * Points one GitOps file at `pin`, keeping its comments and layout (the
 * `yaml` library's document API edits the parsed nodes, and only a changed
 * file is written back). The format follows from the file: a kustomization's
 * `images:` entry; with `key` (`image.digest`, `image.tag`), a Helm values
 * file; otherwise every `image:` field of plain manifests that names the
 * repository. Anything that matches nothing is an error, so a typo never
 * passes as "nothing to change".
 */
export function updateGitopsFile(file: string, text: string, pin: ImagePin, key?: string): GitopsFileUpdate {
  if (key !== undefined && key.trim() !== "") return updateHelmValues(file, text, pin, key.trim());
  const documents = parseYaml(file, text);
  const first = documents[0];
  const basename = file.split("/").pop() ?? file;
  if (KUSTOMIZATION_FILES.has(basename) || (first && first.get("kind") === "Kustomization")) {
    if (!first) throw unknownFormat(file);
    return updateKustomization(file, text, first, pin);
  }
  if (documents.length > 0 && documents.every((doc) => isMap(doc.contents) && doc.has("kind"))) {
    return updateManifests(file, text, documents, pin);
  }
  throw unknownFormat(file);
}

function unknownFormat(file: string): ConfigurationError {
  return new ConfigurationError(
    "unknown GitOps file format: expected a kustomization.yaml (with an images: entry), Kubernetes manifests (documents with kind:), or a Helm values file with gitops-key set (such as image.digest)",
    { file },
  );
}

function parseYaml(file: string, text: string): Document[] {
  const documents = parseAllDocuments(text);
  if (!Array.isArray(documents)) return [];
  for (const doc of documents) {
    const error = doc.errors[0];
    if (error) throw new ConfigurationError(`not valid YAML: ${error.message.split("\n")[0]}`, { file });
  }
  return documents.filter((doc) => doc.contents !== null);
}

function unchanged(format: GitopsFileFormat, text: string, previous: string | undefined): GitopsFileUpdate {
  return { format, text, changed: false, previous };
}

function scalarText(node: unknown): string | undefined {
  return isScalar(node) && (typeof node.value === "string" || typeof node.value === "number")
    ? String(node.value)
    : undefined;
}

/** kustomize's `images:` entry for the repository: by `newName`, else by `name` when it has no `newName`. */
function updateKustomization(file: string, text: string, doc: Document, pin: ImagePin): GitopsFileUpdate {
  const images = doc.get("images", true);
  const entry = isSeq(images)
    ? images.items.find((item) => {
        if (!isMap(item)) return false;
        const name = scalarText(item.get("newName", true)) ?? scalarText(item.get("name", true));
        return name !== undefined && sameRepository(name, pin.repository);
      })
    : undefined;
  if (!isMap(entry)) {
    throw new ConfigurationError(
      `no images: entry for ${pin.repository}; add one (images: [{ name: <the image name your manifests use>, newName: ${pin.repository} }]) so goflow knows which image to pin`,
      { file },
    );
  }
  const previous = scalarText(entry.get("digest", true)) ?? scalarText(entry.get("newTag", true));
  if (scalarText(entry.get("digest", true)) === pin.digest && !entry.has("newTag")) {
    return unchanged("kustomization", text, previous);
  }
  // kustomize ignores newTag once digest is set; a stale tag beside it would only mislead a reader.
  const pairs = entry.items;
  const digestPair = pairs.find((pair) => isScalar(pair.key) && pair.key.value === "digest");
  const tagPair = pairs.find((pair) => isScalar(pair.key) && pair.key.value === "newTag");
  const edits: (TextEdit | undefined)[] = [];
  if (digestPair && isScalar(digestPair.value)) {
    edits.push(replaceScalar(digestPair.value, pin.digest));
    if (tagPair) edits.push(deletePairLine(text, tagPair));
  } else if (
    tagPair &&
    isScalar(tagPair.key) &&
    tagPair.key.range &&
    isScalar(tagPair.value) &&
    tagPair.value.range
  ) {
    edits.push({ start: tagPair.key.range[0], end: tagPair.value.range[1], text: `digest: ${pin.digest}` });
  } else {
    const last = pairs[pairs.length - 1];
    edits.push(last ? insertPairAfter(text, last, `digest: ${pin.digest}`) : undefined);
  }
  entry.delete("newTag");
  entry.set("digest", pin.digest);
  return {
    format: "kustomization",
    text: spliceOrPrint(text, edits, () => doc.toString()),
    changed: true,
    previous,
  };
}

/** The spliced text when every edit could be made in place, else the document printed again. */
function spliceOrPrint(text: string, edits: readonly (TextEdit | undefined)[], print: () => string): string {
  const ready = edits.filter((edit): edit is TextEdit => edit !== undefined);
  return ready.length === edits.length ? applyTextEdits(text, ready) : print();
}

function updateHelmValues(file: string, text: string, pin: ImagePin, key: string): GitopsFileUpdate {
  const doc = parseYaml(file, text)[0];
  const path = key.split(".");
  const node: unknown = doc?.getIn(path, true);
  if (!doc || !isScalar(node)) {
    throw new ConfigurationError(
      `gitops-key '${key}' is not a value in this file; add it (for example image:\\n  digest: "") or set gitops-key to the key your chart reads`,
      { file },
    );
  }
  const last = path[path.length - 1] ?? "";
  let value = pin.digest;
  if (!/digest/i.test(last)) {
    if (!pin.tag) {
      throw new ConfigurationError(
        `gitops-key '${key}' takes a tag, and this promotion has none; set tags, or point gitops-key at a digest key such as image.digest`,
        { file },
      );
    }
    value = `${pin.tag}@${pin.digest}`;
  }
  const previous = scalarText(node);
  if (previous === value) return unchanged("helm-values", text, previous);
  const edit = replaceScalar(node, value);
  (node as Scalar).value = value;
  return {
    format: "helm-values",
    text: spliceOrPrint(text, [edit], () => doc.toString()),
    changed: true,
    previous,
  };
}

/** Every `image:` whose repository is the promoted one, in every document; other images are left alone. */
function updateManifests(file: string, text: string, documents: Document[], pin: ImagePin): GitopsFileUpdate {
  let found = 0;
  let changed = false;
  let previous: string | undefined;
  const edits: (TextEdit | undefined)[] = [];
  for (const doc of documents) {
    visit(doc, {
      Pair(_, pair) {
        if (!isScalar(pair.key) || pair.key.value !== "image" || !isScalar(pair.value)) return;
        const current = scalarText(pair.value);
        const reference = current === undefined ? undefined : parseImageReference(current);
        if (!reference || !sameRepository(reference.repository, pin.repository)) return;
        found += 1;
        previous ??= reference.digest ?? reference.tag;
        const next = `${reference.repository}@${pin.digest}`;
        if (current !== next) {
          edits.push(replaceScalar(pair.value, next));
          (pair.value as Scalar).value = next;
          changed = true;
        }
      },
    });
  }
  if (found === 0) {
    throw new ConfigurationError(
      `no image: field uses ${pin.repository}; check the image input or gitops-files`,
      {
        file,
      },
    );
  }
  if (!changed) return unchanged("manifests", text, previous);
  return {
    format: "manifests",
    text: spliceOrPrint(text, edits, () => joinDocuments(documents)),
    changed: true,
    previous,
  };
}

/** Each document again, with the `---` between them that a multi-document file needs. */
function joinDocuments(documents: readonly Document[]): string {
  return documents
    .map((doc, index) => {
      const body = doc.toString();
      return index === 0 || body.startsWith("---") ? body : `---\n${body}`;
    })
    .join("");
}
