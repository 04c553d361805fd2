import { randomUUID } from "node:crypto";
import { Readable, Transform } from "node:stream";
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client, S3ServiceException, type S3ClientConfig } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { bodyStream } from "./local-store";
import { signedArtifactUrl, type ArtifactLinkConfig } from "./signed-urls";
import { assertArtifactKey, contentTypeForKey, PROBE_KEY_PREFIX, type ArtifactBody, type ArtifactStore, type ArtifactStoreCheck, type StoredArtifact } from "./store";

/** Where the bucket is; credentials are never here (the standard AWS chain provides them). */
export interface S3StoreConfig {
  bucket: string;
  region: string;
  /** An S3-compatible endpoint the server reaches (MinIO…); null: AWS's own for the region. */
  endpoint: string | null;
  /** The endpoint as the browser reaches it, when another host than `endpoint`; null: `endpoint`. */
  publicEndpoint: string | null;
  /** `<endpoint>/<bucket>/<key>` instead of `<bucket>.<endpoint>/<key>` (MinIO, local servers). */
  forcePathStyle: boolean;
}

/** SigV4 presigned URLs live at most a week. */
const MAX_PRESIGN_SECONDS = 7 * 24 * 60 * 60;
/** Multipart parts: S3's minimum size, two in flight, so an upload holds at most ≈ 10 MiB whatever the trace's size. */
const PART_SIZE = 5 * 1024 * 1024;
const QUEUE_SIZE = 2;

/**
 * Kinds whose links go through the app's own signed route (which streams from the bucket) rather
 * than a presigned URL: DOM snapshots must be served under our sandbox CSP (a bucket cannot add
 * that header, and the `view=1` switch would break a SigV4 signature), and traces are fetched by
 * the trace viewer's service worker on our origin, which would need CORS rules on every bucket.
 */
const VIA_APP_ROUTE = /\.(html|zip)$/;

/** A transform that counts the bytes passing through. */
function byteCounter(): Transform & { bytes: number } {
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      counter.bytes += chunk.byteLength;
      callback(null, chunk);
    },
  }) as Transform & { bytes: number };
  counter.bytes = 0;
  return counter;
}

function isNotFound(error: unknown): boolean {
  if (error instanceof S3ServiceException) return error.name === "NoSuchKey" || error.name === "NotFound" || error.$metadata.httpStatusCode === 404;
  return false;
}

/** One sentence for a failed probe, naming the likely cause without any secret. */
export function describeS3Failure(error: unknown, config: Pick<S3StoreConfig, "bucket" | "endpoint">): string {
  const where = `the bucket "${config.bucket}"${config.endpoint ? ` at ${config.endpoint}` : ""}`;
  const name = error instanceof Error ? error.name : "";
  const code = (error as { code?: string } | null)?.code ?? (error as { cause?: { code?: string } } | null)?.cause?.code;
  if (name === "NoSuchBucket") return `The artifact bucket does not exist: create ${where} (see ARTIFACT_S3_BUCKET).`;
  if (name === "InvalidAccessKeyId" || name === "SignatureDoesNotMatch" || name === "AccessDenied" || name === "Forbidden")
    return `The artifact store refused the credentials for ${where} (${name}): check the AWS credentials (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE or the instance role) and the bucket policy.`;
  if (name === "CredentialsProviderError" || /credential/i.test(error instanceof Error ? error.message : ""))
    return `No AWS credentials were found for ${where}: set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE or give the machine a role.`;
  if (code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "ETIMEDOUT" || code === "ECONNRESET" || name === "TimeoutError")
    return `The artifact store could not be reached for ${where} (${code ?? name}): check ARTIFACT_S3_ENDPOINT and the network.`;
  const message = error instanceof Error ? error.message : String(error);
  return `The artifact store failed for ${where}: ${name ? `${name}: ` : ""}${message}`;
}

/**
 * Artifacts in an S3-compatible bucket, streamed both ways: puts are multipart uploads from a
 * stream (lib-storage `Upload`), gets hand back the response stream. Screenshots and other plain
 * files are linked with presigned GET URLs signed for the host the browser uses; DOM snapshots and
 * traces through the app's signed route (see VIA_APP_ROUTE). Built by `createArtifactStore` only.
 */
export class S3ArtifactStore implements ArtifactStore {
  readonly kind = "s3";
  /** The client for the server's endpoint (public for tests that watch its requests). */
  readonly client: S3Client;
  private readonly presigner: S3Client;

  constructor(
    private readonly config: S3StoreConfig,
    private readonly links: ArtifactLinkConfig,
    private readonly now: () => Date = () => new Date(),
    /** Tests only: explicit credentials instead of the AWS chain. */
    credentials?: S3ClientConfig["credentials"],
  ) {
    const base = (endpoint: string | null): S3ClientConfig => ({
      region: config.region,
      ...(endpoint ? { endpoint } : {}),
      forcePathStyle: config.forcePathStyle,
      // Non-AWS servers (MinIO, s3rver…) do not all speak the SDK's default CRC32 checksums.
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
      ...(credentials ? { credentials } : {}),
    });
    this.client = new S3Client(base(config.endpoint));
    this.presigner = config.publicEndpoint && config.publicEndpoint !== config.endpoint ? new S3Client(base(config.publicEndpoint)) : this.client;
  }

  async put(key: string, body: ArtifactBody, contentType: string): Promise<{ bytes: number }> {
    assertArtifactKey(key);
    return this.upload(key, body, contentType);
  }

  private async upload(key: string, body: ArtifactBody, contentType: string): Promise<{ bytes: number }> {
    if (Buffer.isBuffer(body)) {
      await this.client.send(new PutObjectCommand({ Bucket: this.config.bucket, Key: key, Body: body, ContentType: contentType, ContentLength: body.byteLength }));
      return { bytes: body.byteLength };
    }
    const source = bodyStream(body);
    const counter = byteCounter();
    source.on("error", (error) => counter.destroy(error));
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.config.bucket, Key: key, Body: source.pipe(counter), ContentType: contentType },
      partSize: PART_SIZE,
      queueSize: QUEUE_SIZE,
      // The original error is reported rather than masked by a failing abort (not every
      // S3-compatible server implements AbortMultipartUpload); the bucket's lifecycle rule
      // "abort incomplete multipart uploads after 1 day" cleans such parts (docs/artifacts.md).
      leavePartsOnError: true,
    });
    await upload.done();
    return { bytes: counter.bytes };
  }

  async get(key: string): Promise<StoredArtifact | null> {
    assertArtifactKey(key);
    try {
      const answer = await this.client.send(new GetObjectCommand({ Bucket: this.config.bucket, Key: key }));
      if (!(answer.Body instanceof Readable)) throw new Error("The S3 client answered without a stream body.");
      return { body: answer.Body, contentType: contentTypeForKey(key), bytes: answer.ContentLength ?? null };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    assertArtifactKey(key);
    // S3 answers 204 for a key already absent: deletes are idempotent.
    await this.client.send(new DeleteObjectCommand({ Bucket: this.config.bucket, Key: key }));
  }

  async check(): Promise<ArtifactStoreCheck> {
    const key = `${PROBE_KEY_PREFIX}${randomUUID()}.txt`;
    const payload = `nightshift probe ${this.now().toISOString()}`;
    try {
      await this.client.send(new PutObjectCommand({ Bucket: this.config.bucket, Key: key, Body: payload, ContentType: "text/plain" }));
      const answer = await this.client.send(new GetObjectCommand({ Bucket: this.config.bucket, Key: key }));
      const back = (await answer.Body?.transformToString()) ?? "";
      await this.client.send(new DeleteObjectCommand({ Bucket: this.config.bucket, Key: key }));
      if (back !== payload) return { ok: false, message: `The artifact bucket "${this.config.bucket}" returned other bytes than were written to it.` };
      return { ok: true, detail: `The artifact bucket "${this.config.bucket}"${this.config.endpoint ? ` at ${this.config.endpoint}` : ""} is writable and readable.` };
    } catch (error) {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.config.bucket, Key: key })).catch(() => undefined);
      return { ok: false, message: describeS3Failure(error, this.config) };
    }
  }

  async signedUrl(key: string, options: { ttlSeconds: number }): Promise<string> {
    assertArtifactKey(key);
    if (VIA_APP_ROUTE.test(key)) return signedArtifactUrl(key, { ttlSeconds: options.ttlSeconds, now: this.now() }, this.links);
    return this.presignedUrl(key, options);
  }

  /** A presigned GET of the object, signed for the browser's host, valid `ttlSeconds` (at most a week). */
  async presignedUrl(key: string, options: { ttlSeconds: number }): Promise<string> {
    assertArtifactKey(key);
    if (!Number.isInteger(options.ttlSeconds) || options.ttlSeconds <= 0) throw new RangeError(`ttlSeconds must be a positive integer, got ${options.ttlSeconds}`);
    const contentType = contentTypeForKey(key);
    const fileName = key.split("/").slice(1).join("-");
    const command = new GetObjectCommand({
      Bucket: this.config.bucket,
      Key: key,
      ResponseContentType: contentType,
      ...(contentType.startsWith("image/") ? {} : { ResponseContentDisposition: `attachment; filename="${fileName}"` }),
    });
    return getSignedUrl(this.presigner, command, { expiresIn: Math.min(options.ttlSeconds, MAX_PRESIGN_SECONDS), signingDate: this.now() });
  }

  /** Closes the clients' sockets (tests, shutdown). */
  destroy(): void {
    this.client.destroy();
    if (this.presigner !== this.client) this.presigner.destroy();
  }
}
