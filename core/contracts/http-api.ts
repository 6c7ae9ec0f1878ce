// Generated from the API's OpenAPI document by cli/generate-api-types.ts: do not edit by hand
// (`npm run cli:api-types -- <openapi.json|url>` rewrites it).
export interface paths {
  '/healthz': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Liveness: the process answers */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /** @enum {string} */
              status: 'ok';
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/readyz': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Readiness (all, serving or pipelines): its dependencies answer; why a check failed only with a valid token */
    get: {
      parameters: {
        query?: {
          /** @example serving */
          scope?: 'all' | 'serving' | 'pipelines';
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              checks: {
                [key: string]: string;
              };
              loadedModels?: number;
              scope: 'all' | 'serving' | 'pipelines';
              status: 'ready' | 'not-ready';
            };
          };
        };
        /** @description the query breaks a rule: `errors` names each field and rule */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description Default Response */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              checks: {
                [key: string]: string;
              };
              loadedModels?: number;
              scope: 'all' | 'serving' | 'pipelines';
              status: 'ready' | 'not-ready';
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/approvals': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Runs waiting for a manual decision that the caller may give, nearest deadline first
     * @description Runs the four-eyes rule keeps the caller from deciding (they triggered it, or last changed its pipeline's privileged settings) are left out. At most the 100 newest waiting runs are looked at.
     */
    get: {
      parameters: {
        query?: {
          /**
           * @description lowercase letters, digits, "_" and "-", up to 63
           * @example churn
           */
          model?: string;
          /**
           * @description lowercase letters, digits, "_" and "-", up to 63
           * @example churn
           */
          pipeline?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              runs: {
                approvalDeadline: string | null;
                candidateVersion: number | null;
                closedAt: string | null;
                datasetSha: string | null;
                decision: {
                  at: string;
                  by: string;
                  comment: string;
                  decision: 'approve' | 'reject';
                  via: string;
                } | null;
                evaluation: {
                  championVersion: number | null;
                  passed: boolean;
                  primaryMetric: string;
                  reasons: string[];
                } | null;
                failure: string | null;
                links: {
                  self: string;
                  temporalUi: string;
                };
                metrics: {
                  [key: string]: number;
                } | null;
                model: string | null;
                outcome: string | null;
                pipeline: string | null;
                rollout: {
                  [key: string]: unknown;
                } | null;
                runId: string;
                specHash: string | null;
                stage: string | null;
                startedAt: string | null;
                status: string;
                trigger: string | null;
                triggeredBy: string | null;
                validation: {
                  datasetSha: string;
                  errors: number;
                  passed: boolean;
                  reportKey: string;
                  rowCount: number;
                  warnings: string[];
                } | null;
                waitingFor: string | null;
              }[];
            };
          };
        };
        /** @description the request breaks a rule: `errors` names each field and rule */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no valid bearer token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the token's role may not do this */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no such resource */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the resource is not in a state that allows this */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description rate limit exceeded */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description internal error (details only in the server log) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description a dependency (Temporal or object storage) is unavailable: retry after Retry-After seconds */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/audit': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The newest audit events first (the last 7 days at most) */
    get: {
      parameters: {
        query?: {
          /** @example 20 */
          limit?: number;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              events: {
                action: string;
                /** @description the same state after it */
                after?: unknown;
                at: string;
                /** @description the state the act changed, before it */
                before?: unknown;
                /** @description why it was refused or what was decided */
                detail?: string;
                requestId: string;
                result: 'ok' | 'refused' | 'error';
                role: string;
                status: number;
                target: string;
                who: string;
              }[];
            };
          };
        };
        /** @description the request breaks a rule: `errors` names each field and rule */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no valid bearer token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the token's role may not do this */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no such resource */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the resource is not in a state that allows this */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description rate limit exceeded */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description internal error (details only in the server log) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description a dependency (Temporal or object storage) is unavailable: retry after Retry-After seconds */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/datasets': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Every dataset with a snapshot and its newest snapshot, sorted by name */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              datasets: {
                latest: {
                  bytes: number;
                  createdAt: string;
                  dataKey: string;
                  /** @description Who wrote the Parquet at dataKey: 'ferry' (every upload is rewritten through DuckDB at ingest) or 'uploader' (a Parquet upload stored as is, before rewriting began). Only Ferry's footer statistics are trusted by validation. */
                  dataWriter: 'ferry' | 'uploader';
                  name: string;
                  rowCount: number;
                  schema: {
                    name: string;
                    type: string;
                  }[];
                  sha256: string;
                  source: string;
                  sourceFormat: 'csv' | 'parquet';
                  sourceKey: string;
                };
                name: string;
              }[];
            };
          };
        };
        /** @description the request breaks a rule: `errors` names each field and rule */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no valid bearer token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the token's role may not do this */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no such resource */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the resource is not in a state that allows this */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description rate limit exceeded */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description internal error (details only in the server log) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description a dependency (Temporal or object storage) is unavailable: retry after Retry-After seconds */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/datasets/{name}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A dataset's snapshots, newest first, and the one `latest` points at */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /**
           * @description lowercase letters, digits, "_" and "-", up to 63
           * @example churn
           */
          name: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              latest: {
                bytes: number;
                createdAt: string;
                dataKey: string;
                /** @description Who wrote the Parquet at dataKey: 'ferry' (every upload is rewritten through DuckDB at ingest) or 'uploader' (a Parquet upload stored as is, before rewriting began). Only Ferry's footer statistics are trusted by validation. */
                dataWriter: 'ferry' | 'uploader';
                name: string;
                rowCount: number;
                schema: {
                  name: string;
                  type: string;
                }[];
                sha256: string;
                source: string;
                sourceFormat: 'csv' | 'parquet';
                sourceKey: string;
              };
              name: string;
              snapshots: {
                bytes: number;
                createdAt: string;
                dataKey: string;
                /** @description Who wrote the Parquet at dataKey: 'ferry' (every upload is rewritten through DuckDB at ingest) or 'uploader' (a Parquet upload stored as is, before rewriting began). Only Ferry's footer statistics are trusted by validation. */
                dataWriter: 'ferry' | 'uploader';
                name: string;
                rowCount: number;
                schema: {
                  name: string;
                  type: string;
                }[];
                sha256: string;
                source: string;
                sourceFormat: 'csv' | 'parquet';
                sourceKey: string;
              }[];
            };
          };
        };
        /** @description the request breaks a rule: `errors` names each field and rule */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no valid bearer token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the token's role may not do this */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no such resource */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the resource is not in a state that allows this */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description rate limit exceeded */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description internal error (details only in the server log) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description a dependency (Temporal or object storage) is unavailable: retry after Retry-After seconds */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
      };
    };
    put?: never;
    /**
     * Upload a CSV (text/csv) or Parquet (application/vnd.apache.parquet) file as a snapshot; the same bytes again are the same snapshot
     * @description The request body is the file itself, up to 1073741824 bytes.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /**
           * @description lowercase letters, digits, "_" and "-", up to 63
           * @example churn
           */
          name: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/octet-stream': string;
          'application/vnd.apache.parquet': string;
          /**
           * @example customer_id,plan,tenure_months,churned
           *     1,basic,12,0
           *     2,premium,3,1
           */
          'text/csv': unknown;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              created: boolean;
              manifest: {
                bytes: number;
                createdAt: string;
                dataKey: string;
                /** @description Who wrote the Parquet at dataKey: 'ferry' (every upload is rewritten through DuckDB at ingest) or 'uploader' (a Parquet upload stored as is, before rewriting began). Only Ferry's footer statistics are trusted by validation. */
                dataWriter: 'ferry' | 'uploader';
                name: string;
                rowCount: number;
                schema: {
                  name: string;
                  type: string;
                }[];
                sha256: string;
                source: string;
                sourceFormat: 'csv' | 'parquet';
                sourceKey: string;
              };
              sha256: string;
            };
          };
        };
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              created: boolean;
              manifest: {
                bytes: number;
                createdAt: string;
                dataKey: string;
                /** @description Who wrote the Parquet at dataKey: 'ferry' (every upload is rewritten through DuckDB at ingest) or 'uploader' (a Parquet upload stored as is, before rewriting began). Only Ferry's footer statistics are trusted by validation. */
                dataWriter: 'ferry' | 'uploader';
                name: string;
                rowCount: number;
                schema: {
                  name: string;
                  type: string;
                }[];
                sha256: string;
                source: string;
                sourceFormat: 'csv' | 'parquet';
                sourceKey: string;
              };
              sha256: string;
            };
          };
        };
        /** @description the request breaks a rule: `errors` names each field and rule */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no valid bearer token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the token's role may not do this */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no such resource */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the resource is not in a state that allows this */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the upload is larger than the limit */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the Content-Type is not CSV or Parquet */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description rate limit exceeded */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description internal error (details only in the server log) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description a dependency (Temporal or object storage) is unavailable: retry after Retry-After seconds */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/datasets/{name}/draft-spec': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Draft a pipeline spec from the dataset's latest snapshot, predicting `label`
     * @description The task follows from the label's values (2 distinct → binary, numeric with many → regression, else multiclass), categorical columns from type and cardinality, validation ranges and domains from the data's profile, training from its size. Privileged fields stay at their defaults, so the spec can be applied as is by an operator. `notes` say why each choice was made. A label that is not a column, or has fewer than 2 values, is a 400 naming querystring.label.
     */
    get: {
      parameters: {
        query: {
          /** @example churned */
          label: string;
          /**
           * @description lowercase letters, digits, "_" and "-", up to 63
           * @example churn
           */
          model?: string;
          /**
           * @description lowercase letters, digits, "_" and "-", up to 63
           * @example churn
           */
          pipeline?: string;
        };
        header?: never;
        path: {
          /**
           * @description lowercase letters, digits, "_" and "-", up to 63
           * @example churn
           */
          name: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              notes: string[];
              /** @description a pipeline spec (the body of PUT /v1/pipelines/{pipeline}) */
              spec: {
                [key: string]: unknown;
              };
            };
          };
        };
        /** @description the request breaks a rule: `errors` names each field and rule */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no valid bearer token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the token's role may not do this */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no such resource */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the resource is not in a state that allows this */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description rate limit exceeded */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description internal error (details only in the server log) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description a dependency (Temporal or object storage) is unavailable: retry after Retry-After seconds */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/metrics/query': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Read-only SQL over the metrics tables: one SELECT, no file or network access, 5 s limit, at most maxRows rows */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          /**
           * @example {
           *       "sql": "SELECT model, version, count(*) AS events FROM registry_events GROUP BY model, version ORDER BY model, version",
           *       "maxRows": 100
           *     }
           */
          'application/json': {
            /** @default 1000 */
            maxRows?: number;
            /** @description one SELECT (or WITH … SELECT) over runs, validation_checks, training_epochs, evaluations, registry_events */
            sql: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              columns: {
                name: string;
                type: string;
              }[];
              elapsedMs: number;
              rowCount: number;
              rows: {
                [key: string]: unknown;
              }[];
              /** @description more rows existed than maxRows (or than fit in 8 MiB) */
              truncated: boolean;
            };
          };
        };
        /** @description the request breaks a rule: `errors` names each field and rule */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no valid bearer token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the token's role may not do this */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no such resource */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the resource is not in a state that allows this */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the body is larger than the limit */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the Content-Type is not one the operation accepts */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description rate limit exceeded */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description internal error (details only in the server log) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description a dependency (Temporal or object storage) is unavailable: retry after Retry-After seconds */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/models': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List models with their champion and version count */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              models: {
                champion: number | null;
                latestVersion: number | null;
                model: string;
                versionCount: number;
              }[];
            };
          };
        };
        /** @description the request breaks a rule: `errors` names each field and rule */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no valid bearer token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the token's role may not do this */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no such resource */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the resource is not in a state that allows this */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description rate limit exceeded */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description internal error (details only in the server log) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description a dependency (Temporal or object storage) is unavailable: retry after Retry-After seconds */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/models/{model}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A model: its versions (with decisions), aliases and alias history */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /**
           * @description lowercase letters, digits, "_" and "-", up to 63
           * @example churn
           */
          model: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              aliases: {
                [key: string]: number;
              };
              /** @description every alias change, oldest first */
              history: {
                actor: string;
                alias: string;
                at: string;
                fromVersion: number | null;
                kind?: 'promotion' | 'rollback';
                model: string;
                reason: string;
                runId: string | null;
                version: number;
              }[];
              model: string;
              versions: {
                createdAt: string;
                datasetSha: string;
                decision: {
                  at: string;
                  by: string;
                  comment: string;
                  decision: 'approve' | 'reject';
                  runId: string;
                } | null;
                metrics: {
                  [key: string]: number;
                };
                runId: string;
                /** @description candidate → champion → retired or rolled-back; rejected by evaluation or a person */
                status: 'candidate' | 'champion' | 'retired' | 'rejected' | 'rolled-back';
                version: number;
              }[];
            };
          };
        };
        /** @description the request breaks a rule: `errors` names each field and rule */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no valid bearer token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the token's role may not do this */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no such resource */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the resource is not in a state that allows this */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description rate limit exceeded */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description internal error (details only in the server log) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description a dependency (Temporal or object storage) is unavailable: retry after Retry-After seconds */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/models/{model}/feedback': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Record the ground truth for a prediction id (operator or higher) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /**
           * @description lowercase letters, digits, "_" and "-", up to 63
           * @example churn
           */
          model: string;
        };
        cookie?: never;
      };
      /** @description `label` must be one of the served version's classes (classification) or a finite number (regression): answered with 400 invalid-input otherwise */
      requestBody: {
        content: {
          /**
           * @example {
           *       "predictionId": "0b9f7a1e-5c4d-4e2a-9f1b-3c6d8e7a2b10",
           *       "label": "1"
           *     }
           */
          'application/json': {
            /** @description the true class, or the true value */
            label: string | number;
            /** @description from a predict answer */
            predictionId: string;
            /** @description overwrite an earlier, different label for this prediction id (approver or admin only); without it the first label stands */
            replace?: boolean;
          };
        };
      };
      responses: {
        /** @description Default Response */
        202: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              label: string;
              model: string;
              /** @description recorded: first label; unchanged: the same label again (nothing new logged); replaced: by an approver */
              outcome: 'recorded' | 'unchanged' | 'replaced';
              predictionId: string;
              /** @enum {string} */
              status: 'accepted';
            };
          };
        };
        /** @description the request breaks a rule: `errors` names each field and rule */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no valid bearer token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the token's role may not do this */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no such resource */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the resource is not in a state that allows this */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the body is larger than the limit */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the Content-Type is not one the operation accepts */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description rate limit exceeded */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description internal error (details only in the server log) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the deployed model cannot be loaded right now */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/models/{model}/metrics': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A metric of each registered version (the candidate's overall test value), oldest version first */
    get: {
      parameters: {
        query?: {
          /**
           * @description default: the primary metric of the model's latest run
           * @example auc
           */
          metric?: string;
        };
        header?: never;
        path: {
          /**
           * @description lowercase letters, digits, "_" and "-", up to 63
           * @example churn
           */
          model: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              metric: string;
              model: string;
              versions: {
                ts: string;
                value: number | null;
                version: number;
              }[];
            };
          };
        };
        /** @description the request breaks a rule: `errors` names each field and rule */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no valid bearer token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the token's role may not do this */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no such resource */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the resource is not in a state that allows this */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description rate limit exceeded */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description internal error (details only in the server log) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description a dependency (Temporal or object storage) is unavailable: retry after Retry-After seconds */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/models/{model}/monitoring': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The monitor's findings for a model over time (volume, latency, errors, drift, online accuracy), oldest first */
    get: {
      parameters: {
        query?: {
          /** @example 24 */
          limit?: number;
        };
        header?: never;
        path: {
          /**
           * @description lowercase letters, digits, "_" and "-", up to 63
           * @example churn
           */
          model: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              model: string;
              points: {
                action: string;
                driftedFeature: string | null;
                errorRate: number | null;
                featurePsi: {
                  [key: string]: number;
                };
                labels: number;
                latencyP50Ms: number | null;
                latencyP95Ms: number | null;
                latencyP99Ms: number | null;
                maxFeaturePsi: number | null;
                onlineAccuracy: number | null;
                predictionPsi: number | null;
                predictions: number;
                reason: string;
                version: number | null;
                windowEnd: string;
                windowStart: string;
              }[];
            };
          };
        };
        /** @description the request breaks a rule: `errors` names each field and rule */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no valid bearer token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the token's role may not do this */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no such resource */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the resource is not in a state that allows this */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description rate limit exceeded */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description internal error (details only in the server log) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description a dependency (Temporal or object storage) is unavailable: retry after Retry-After seconds */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/models/{model}/predict': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Score one row or a batch with the deployed version (any role) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /**
           * @description lowercase letters, digits, "_" and "-", up to 63
           * @example churn
           */
          model: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          /**
           * @example {
           *       "rows": [
           *         {
           *           "tenure_months": 14,
           *           "monthly_charges": 70.5,
           *           "age": 41,
           *           "support_calls": 2,
           *           "usage_gb": 18.2,
           *           "plan": "standard",
           *           "region": "north",
           *           "payment_method": "card"
           *         }
           *       ],
           *       "requestKey": "customer-1042"
           *     }
           */
          'application/json': {
            /** @description pins the caller to one version while the traffic weights stay the same */
            requestKey?: string;
            /** @description one row or a batch of up to 1000 */
            rows: {
              [key: string]: number | string | null;
            }[];
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              model: string;
              predictions: {
                /** @description the most probable class */
                label?: string;
                /** @description send it back with the ground truth to /feedback */
                predictionId: string;
                /** @description class label → probability */
                probabilities?: {
                  [key: string]: number;
                };
                /** @description the predicted value (regression) */
                value?: number;
              }[];
              /** @description the version that answered */
              version: number;
            };
          };
        };
        /** @description the request breaks a rule: `errors` names each field and rule */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no valid bearer token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the token's role may not do this */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no such resource */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the resource is not in a state that allows this */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the body is larger than the limit */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the Content-Type is not one the operation accepts */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description rate limit exceeded */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description internal error (details only in the server log) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the deployed model cannot be loaded right now */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/models/{model}/rollback': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Point the champion alias back at an earlier version (identity from the token) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /**
           * @description lowercase letters, digits, "_" and "-", up to 63
           * @example churn
           */
          model: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          /**
           * @example {
           *       "toVersion": 1,
           *       "reason": "version 2 misclassifies the new region"
           *     }
           */
          'application/json': {
            reason: string;
            /**
             * @description a version number (1, 2, …)
             * @example 1
             */
            toVersion: number;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              at: string;
              champion: number;
              fromVersion: number | null;
              model: string;
            };
          };
        };
        /** @description the request breaks a rule: `errors` names each field and rule */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no valid bearer token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the token's role may not do this */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no such resource */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the resource is not in a state that allows this */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the body is larger than the limit */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the Content-Type is not one the operation accepts */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description rate limit exceeded */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description internal error (details only in the server log) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description a dependency (Temporal or object storage) is unavailable: retry after Retry-After seconds */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/models/{model}/versions/{version}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One version: metrics, lineage, input schema, artifacts, decision and model card */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /**
           * @description lowercase letters, digits, "_" and "-", up to 63
           * @example churn
           */
          model: string;
          /**
           * @description a version number (1, 2, …)
           * @example 1
           */
          version: number;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /** @description aliases that point at this version now */
              aliases: string[];
              artifacts: {
                cardKey: string;
                evaluationKey: string;
                modelPrefix: string;
                preprocessingKey: string;
                validationKey: string;
              };
              createdAt: string;
              decision: {
                at: string;
                by: string;
                comment: string;
                decision: 'approve' | 'reject';
                runId: string;
              } | null;
              inputSchema: {
                categorical: string[];
                classes?: string[];
                label: string;
                /** @description what serving does with a null feature (absent: impute) */
                nulls?: 'impute' | 'refuse';
                numeric: string[];
              };
              lineage: {
                backend: string;
                /** @description with run overrides: the registered spec version they were applied to */
                baseSpecHash?: string;
                codeRevision: string;
                datasetName: string;
                datasetSha: string;
                /** @description with run overrides: what the run changed */
                overrides?: {
                  [key: string]: unknown;
                };
                runId: string;
                seeds: {
                  split: number;
                  training: number;
                };
                /** @description hash of the exact spec trained (with run overrides applied) */
                specHash: string;
              };
              metrics: {
                [key: string]: number;
              };
              model: string;
              modelCard: string | null;
              rejectionReasons: string[];
              /** @description candidate → champion → retired or rolled-back; rejected by evaluation or a person */
              status: 'candidate' | 'champion' | 'retired' | 'rejected' | 'rolled-back';
              version: number;
            };
          };
        };
        /** @description the request breaks a rule: `errors` names each field and rule */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no valid bearer token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the token's role may not do this */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no such resource */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the resource is not in a state that allows this */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description rate limit exceeded */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description internal error (details only in the server log) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description a dependency (Temporal or object storage) is unavailable: retry after Retry-After seconds */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/pipelines': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List registered pipelines */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              pipelines: {
                name: string;
                /** @description who last set or changed a privileged field (null: all at their defaults) */
                privilegedBy?: string | null;
                /** @description the commit (and file) the current version was applied from; null when none was named */
                source: {
                  commit: string;
                  path: string | null;
                } | null;
                spec: {
                  [key: string]: unknown;
                };
                specHash: string;
                updatedAt: string;
                updatedBy: string;
              }[];
            };
          };
        };
        /** @description the request breaks a rule: `errors` names each field and rule */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no valid bearer token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the token's role may not do this */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no such resource */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the resource is not in a state that allows this */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description rate limit exceeded */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description internal error (details only in the server log) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description a dependency (Temporal or object storage) is unavailable: retry after Retry-After seconds */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/pipelines/{pipeline}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Read a pipeline and its current spec */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /**
           * @description lowercase letters, digits, "_" and "-", up to 63
           * @example churn
           */
          pipeline: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              name: string;
              /** @description who last set or changed a privileged field (null: all at their defaults) */
              privilegedBy?: string | null;
              /** @description the commit (and file) the current version was applied from; null when none was named */
              source: {
                commit: string;
                path: string | null;
              } | null;
              spec: {
                [key: string]: unknown;
              };
              specHash: string;
              updatedAt: string;
              updatedBy: string;
            };
          };
        };
        /** @description the request breaks a rule: `errors` names each field and rule */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no valid bearer token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the token's role may not do this */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no such resource */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the resource is not in a state that allows this */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description rate limit exceeded */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description internal error (details only in the server log) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description a dependency (Temporal or object storage) is unavailable: retry after Retry-After seconds */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
      };
    };
    /**
     * Register or update a pipeline spec (versioned by content hash); approval, evaluation thresholds, rollout and webhook fields need role approver
     * @description The body is a pipeline spec, as JSON or YAML (application/yaml, application/x-yaml or text/yaml; YAML that does not parse is a 400 invalid-spec naming line:column). Rules the schema cannot state are answered with 400 invalid-spec naming the field: `name` must equal the path's pipeline; ranges' min ≤ max; split test + validation < 0.9; rollout steps increase strictly and end at 100; drift warn ≤ fail; dataset.features must not hold the label, dataset.categorical ⊆ features, evaluation.slices ⊆ categorical; primaryMetric must suit the task; a webhook URL must be an allowed host (FERRY_WEBHOOK_ALLOW).
     */
    put: {
      parameters: {
        query?: {
          /** @description true: make every check and answer as an apply would, but store nothing (always 200) */
          dryRun?: boolean;
        };
        header?: {
          /**
           * @description the commit the spec comes from, recorded with the version it creates
           * @example 3f2c1ab
           */
          'ferry-source-commit'?: string;
          /**
           * @description the spec file's path in that commit's tree (needs ferry-source-commit)
           * @example pipelines/churn.yaml
           */
          'ferry-source-path'?: string;
        };
        path: {
          /**
           * @description lowercase letters, digits, "_" and "-", up to 63
           * @example churn
           */
          pipeline: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          /**
           * @example {
           *       "name": "churn",
           *       "description": "Predict whether a subscriber cancels within 30 days.",
           *       "model": "churn",
           *       "dataset": {
           *         "name": "churn",
           *         "label": "churned",
           *         "categorical": [
           *           "plan",
           *           "region",
           *           "payment_method"
           *         ]
           *       },
           *       "task": "binary",
           *       "training": {
           *         "epochs": 12,
           *         "batchSize": 128
           *       }
           *     }
           */
          'application/json': {
            /**
             * @default {
             *       "policy": "manual",
             *       "timeout": "7d",
             *       "onTimeout": "reject",
             *       "fourEyes": true
             *     }
             */
            approval?: {
              /** @default true */
              fourEyes?: boolean;
              /**
               * @default reject
               * @enum {string}
               */
              onTimeout?: 'reject' | 'approve';
              /**
               * @default manual
               * @enum {string}
               */
              policy?: 'manual' | 'auto' | 'auto-if-better';
              /** @default 7d */
              timeout?: string;
            };
            dataset: {
              /** @default [] */
              categorical?: string[];
              /** @default all-but-label */
              features?: 'all-but-label' | string[];
              label: string;
              name: string;
              /** @description pin a snapshot; default is the dataset's latest */
              snapshot?: string;
            };
            description?: string;
            /**
             * @default {
             *       "thresholds": {},
             *       "maxRegression": 0.02,
             *       "slices": []
             *     }
             */
            evaluation?: {
              /** @default 0.02 */
              maxRegression?: number;
              /** @enum {string} */
              primaryMetric?: 'accuracy' | 'f1' | 'auc' | 'precision' | 'recall' | 'rmse' | 'mae' | 'r2';
              /** @default [] */
              slices?: string[];
              /** @default {} */
              thresholds?: {
                [key: string]: number;
              };
            };
            /** @description registry name of the model this pipeline produces */
            model: string;
            monitoring?: {
              /** @default 0.25 */
              driftThreshold?: number;
              /** @default true */
              enabled?: boolean;
              /** @default 1h */
              interval?: string;
              /** @default 50 */
              minLabels?: number;
              minOnlineAccuracy?: number;
              /** @default 100 */
              minPredictions?: number;
              /** Format: uri */
              webhookUrl?: string;
              /** @default 1h */
              window?: string;
            };
            name: string;
            /**
             * @default {
             *       "strategy": "direct",
             *       "steps": [
             *         10,
             *         50,
             *         100
             *       ],
             *       "bake": "10m",
             *       "guards": {
             *         "maxErrorRate": 0.01,
             *         "maxP99LatencyMs": 250,
             *         "maxPredictionPsi": 0.25,
             *         "minLabels": 50,
             *         "minRequests": 20
             *       }
             *     }
             */
            rollout?: {
              /** @default 10m */
              bake?: string;
              /**
               * @default {
               *       "maxErrorRate": 0.01,
               *       "maxP99LatencyMs": 250,
               *       "maxPredictionPsi": 0.25,
               *       "minLabels": 50,
               *       "minRequests": 20
               *     }
               */
              guards?: {
                /** @default 0.01 */
                maxErrorRate?: number;
                /** @default 250 */
                maxP99LatencyMs?: number;
                /** @default 0.25 */
                maxPredictionPsi?: number;
                /** @default 50 */
                minLabels?: number;
                minOnlineAccuracy?: number;
                /** @default 20 */
                minRequests?: number;
              };
              /**
               * @default [
               *       10,
               *       50,
               *       100
               *     ]
               */
              steps?: number[];
              /**
               * @default direct
               * @enum {string}
               */
              strategy?: 'direct' | 'shadow' | 'canary';
            };
            schedule?: {
              cron: string;
              /** @default true */
              enabled?: boolean;
              /** @default UTC */
              timezone?: string;
            };
            /**
             * @default {
             *       "nulls": "impute"
             *     }
             */
            serving?: {
              /**
               * @default impute
               * @enum {string}
               */
              nulls?: 'impute' | 'refuse';
            };
            /**
             * @default {
             *       "test": 0.2,
             *       "validation": 0.1,
             *       "seed": 42
             *     }
             */
            split?: {
              /** @default 42 */
              seed?: number;
              /** @default 0.2 */
              test?: number;
              /** @default 0.1 */
              validation?: number;
            };
            /** @enum {string} */
            task: 'binary' | 'multiclass' | 'regression';
            /**
             * @default {
             *       "hiddenLayers": [
             *         32,
             *         16
             *       ],
             *       "activation": "relu",
             *       "epochs": 20,
             *       "batchSize": 64,
             *       "learningRate": 0.01,
             *       "seed": 7
             *     }
             */
            training?: {
              /**
               * @default relu
               * @enum {string}
               */
              activation?: 'relu' | 'tanh' | 'sigmoid' | 'elu';
              /** @default 64 */
              batchSize?: number;
              earlyStopping?: {
                /** @default 0.001 */
                minDelta?: number;
                /** @default 3 */
                patience?: number;
              };
              /** @default 20 */
              epochs?: number;
              /**
               * @default [
               *       32,
               *       16
               *     ]
               */
              hiddenLayers?: number[];
              /** @default 0.01 */
              learningRate?: number;
              /** @default 7 */
              seed?: number;
            };
            /**
             * @default {
             *       "minRows": 100,
             *       "maxNullFraction": 0.05,
             *       "maxDuplicateFraction": 0.01,
             *       "minClassFraction": 0.05,
             *       "ranges": {},
             *       "domains": {},
             *       "drift": {
             *         "warn": 0.1,
             *         "fail": 0.25
             *       }
             *     }
             */
            validation?: {
              /** @default {} */
              domains?: {
                [key: string]: string[];
              };
              /**
               * @default {
               *       "warn": 0.1,
               *       "fail": 0.25
               *     }
               */
              drift?: {
                /** @default 0.25 */
                fail?: number;
                /** @default 0.1 */
                warn?: number;
              };
              /** @default 0.01 */
              maxDuplicateFraction?: number;
              /** @default 0.05 */
              maxNullFraction?: number;
              /** @default 0.05 */
              minClassFraction?: number;
              /** @default 100 */
              minRows?: number;
              /** @default {} */
              ranges?: {
                [key: string]: {
                  max?: number;
                  min?: number;
                };
              };
            };
          };
          /**
           * @example {
           *       "name": "churn",
           *       "description": "Predict whether a subscriber cancels within 30 days.",
           *       "model": "churn",
           *       "dataset": {
           *         "name": "churn",
           *         "label": "churned",
           *         "categorical": [
           *           "plan",
           *           "region",
           *           "payment_method"
           *         ]
           *       },
           *       "task": "binary",
           *       "training": {
           *         "epochs": 12,
           *         "batchSize": 128
           *       }
           *     }
           */
          'application/x-yaml': {
            /**
             * @default {
             *       "policy": "manual",
             *       "timeout": "7d",
             *       "onTimeout": "reject",
             *       "fourEyes": true
             *     }
             */
            approval?: {
              /** @default true */
              fourEyes?: boolean;
              /**
               * @default reject
               * @enum {string}
               */
              onTimeout?: 'reject' | 'approve';
              /**
               * @default manual
               * @enum {string}
               */
              policy?: 'manual' | 'auto' | 'auto-if-better';
              /** @default 7d */
              timeout?: string;
            };
            dataset: {
              /** @default [] */
              categorical?: string[];
              /** @default all-but-label */
              features?: 'all-but-label' | string[];
              label: string;
              name: string;
              /** @description pin a snapshot; default is the dataset's latest */
              snapshot?: string;
            };
            description?: string;
            /**
             * @default {
             *       "thresholds": {},
             *       "maxRegression": 0.02,
             *       "slices": []
             *     }
             */
            evaluation?: {
              /** @default 0.02 */
              maxRegression?: number;
              /** @enum {string} */
              primaryMetric?: 'accuracy' | 'f1' | 'auc' | 'precision' | 'recall' | 'rmse' | 'mae' | 'r2';
              /** @default [] */
              slices?: string[];
              /** @default {} */
              thresholds?: {
                [key: string]: number;
              };
            };
            /** @description registry name of the model this pipeline produces */
            model: string;
            monitoring?: {
              /** @default 0.25 */
              driftThreshold?: number;
              /** @default true */
              enabled?: boolean;
              /** @default 1h */
              interval?: string;
              /** @default 50 */
              minLabels?: number;
              minOnlineAccuracy?: number;
              /** @default 100 */
              minPredictions?: number;
              /** Format: uri */
              webhookUrl?: string;
              /** @default 1h */
              window?: string;
            };
            name: string;
            /**
             * @default {
             *       "strategy": "direct",
             *       "steps": [
             *         10,
             *         50,
             *         100
             *       ],
             *       "bake": "10m",
             *       "guards": {
             *         "maxErrorRate": 0.01,
             *         "maxP99LatencyMs": 250,
             *         "maxPredictionPsi": 0.25,
             *         "minLabels": 50,
             *         "minRequests": 20
             *       }
             *     }
             */
            rollout?: {
              /** @default 10m */
              bake?: string;
              /**
               * @default {
               *       "maxErrorRate": 0.01,
               *       "maxP99LatencyMs": 250,
               *       "maxPredictionPsi": 0.25,
               *       "minLabels": 50,
               *       "minRequests": 20
               *     }
               */
              guards?: {
                /** @default 0.01 */
                maxErrorRate?: number;
                /** @default 250 */
                maxP99LatencyMs?: number;
                /** @default 0.25 */
                maxPredictionPsi?: number;
                /** @default 50 */
                minLabels?: number;
                minOnlineAccuracy?: number;
                /** @default 20 */
                minRequests?: number;
              };
              /**
               * @default [
               *       10,
               *       50,
               *       100
               *     ]
               */
              steps?: number[];
              /**
               * @default direct
               * @enum {string}
               */
              strategy?: 'direct' | 'shadow' | 'canary';
            };
            schedule?: {
              cron: string;
              /** @default true */
              enabled?: boolean;
              /** @default UTC */
              timezone?: string;
            };
            /**
             * @default {
             *       "nulls": "impute"
             *     }
             */
            serving?: {
              /**
               * @default impute
               * @enum {string}
               */
              nulls?: 'impute' | 'refuse';
            };
            /**
             * @default {
             *       "test": 0.2,
             *       "validation": 0.1,
             *       "seed": 42
             *     }
             */
            split?: {
              /** @default 42 */
              seed?: number;
              /** @default 0.2 */
              test?: number;
              /** @default 0.1 */
              validation?: number;
            };
            /** @enum {string} */
            task: 'binary' | 'multiclass' | 'regression';
            /**
             * @default {
             *       "hiddenLayers": [
             *         32,
             *         16
             *       ],
             *       "activation": "relu",
             *       "epochs": 20,
             *       "batchSize": 64,
             *       "learningRate": 0.01,
             *       "seed": 7
             *     }
             */
            training?: {
              /**
               * @default relu
               * @enum {string}
               */
              activation?: 'relu' | 'tanh' | 'sigmoid' | 'elu';
              /** @default 64 */
              batchSize?: number;
              earlyStopping?: {
                /** @default 0.001 */
                minDelta?: number;
                /** @default 3 */
                patience?: number;
              };
              /** @default 20 */
              epochs?: number;
              /**
               * @default [
               *       32,
               *       16
               *     ]
               */
              hiddenLayers?: number[];
              /** @default 0.01 */
              learningRate?: number;
              /** @default 7 */
              seed?: number;
            };
            /**
             * @default {
             *       "minRows": 100,
             *       "maxNullFraction": 0.05,
             *       "maxDuplicateFraction": 0.01,
             *       "minClassFraction": 0.05,
             *       "ranges": {},
             *       "domains": {},
             *       "drift": {
             *         "warn": 0.1,
             *         "fail": 0.25
             *       }
             *     }
             */
            validation?: {
              /** @default {} */
              domains?: {
                [key: string]: string[];
              };
              /**
               * @default {
               *       "warn": 0.1,
               *       "fail": 0.25
               *     }
               */
              drift?: {
                /** @default 0.25 */
                fail?: number;
                /** @default 0.1 */
                warn?: number;
              };
              /** @default 0.01 */
              maxDuplicateFraction?: number;
              /** @default 0.05 */
              maxNullFraction?: number;
              /** @default 0.05 */
              minClassFraction?: number;
              /** @default 100 */
              minRows?: number;
              /** @default {} */
              ranges?: {
                [key: string]: {
                  max?: number;
                  min?: number;
                };
              };
            };
          };
          /**
           * @example {
           *       "name": "churn",
           *       "description": "Predict whether a subscriber cancels within 30 days.",
           *       "model": "churn",
           *       "dataset": {
           *         "name": "churn",
           *         "label": "churned",
           *         "categorical": [
           *           "plan",
           *           "region",
           *           "payment_method"
           *         ]
           *       },
           *       "task": "binary",
           *       "training": {
           *         "epochs": 12,
           *         "batchSize": 128
           *       }
           *     }
           */
          'application/yaml': {
            /**
             * @default {
             *       "policy": "manual",
             *       "timeout": "7d",
             *       "onTimeout": "reject",
             *       "fourEyes": true
             *     }
             */
            approval?: {
              /** @default true */
              fourEyes?: boolean;
              /**
               * @default reject
               * @enum {string}
               */
              onTimeout?: 'reject' | 'approve';
              /**
               * @default manual
               * @enum {string}
               */
              policy?: 'manual' | 'auto' | 'auto-if-better';
              /** @default 7d */
              timeout?: string;
            };
            dataset: {
              /** @default [] */
              categorical?: string[];
              /** @default all-but-label */
              features?: 'all-but-label' | string[];
              label: string;
              name: string;
              /** @description pin a snapshot; default is the dataset's latest */
              snapshot?: string;
            };
            description?: string;
            /**
             * @default {
             *       "thresholds": {},
             *       "maxRegression": 0.02,
             *       "slices": []
             *     }
             */
            evaluation?: {
              /** @default 0.02 */
              maxRegression?: number;
              /** @enum {string} */
              primaryMetric?: 'accuracy' | 'f1' | 'auc' | 'precision' | 'recall' | 'rmse' | 'mae' | 'r2';
              /** @default [] */
              slices?: string[];
              /** @default {} */
              thresholds?: {
                [key: string]: number;
              };
            };
            /** @description registry name of the model this pipeline produces */
            model: string;
            monitoring?: {
              /** @default 0.25 */
              driftThreshold?: number;
              /** @default true */
              enabled?: boolean;
              /** @default 1h */
              interval?: string;
              /** @default 50 */
              minLabels?: number;
              minOnlineAccuracy?: number;
              /** @default 100 */
              minPredictions?: number;
              /** Format: uri */
              webhookUrl?: string;
              /** @default 1h */
              window?: string;
            };
            name: string;
            /**
             * @default {
             *       "strategy": "direct",
             *       "steps": [
             *         10,
             *         50,
             *         100
             *       ],
             *       "bake": "10m",
             *       "guards": {
             *         "maxErrorRate": 0.01,
             *         "maxP99LatencyMs": 250,
             *         "maxPredictionPsi": 0.25,
             *         "minLabels": 50,
             *         "minRequests": 20
             *       }
             *     }
             */
            rollout?: {
              /** @default 10m */
              bake?: string;
              /**
               * @default {
               *       "maxErrorRate": 0.01,
               *       "maxP99LatencyMs": 250,
               *       "maxPredictionPsi": 0.25,
               *       "minLabels": 50,
               *       "minRequests": 20
               *     }
               */
              guards?: {
                /** @default 0.01 */
                maxErrorRate?: number;
                /** @default 250 */
                maxP99LatencyMs?: number;
                /** @default 0.25 */
                maxPredictionPsi?: number;
                /** @default 50 */
                minLabels?: number;
                minOnlineAccuracy?: number;
                /** @default 20 */
                minRequests?: number;
              };
              /**
               * @default [
               *       10,
               *       50,
               *       100
               *     ]
               */
              steps?: number[];
              /**
               * @default direct
               * @enum {string}
               */
              strategy?: 'direct' | 'shadow' | 'canary';
            };
            schedule?: {
              cron: string;
              /** @default true */
              enabled?: boolean;
              /** @default UTC */
              timezone?: string;
            };
            /**
             * @default {
             *       "nulls": "impute"
             *     }
             */
            serving?: {
              /**
               * @default impute
               * @enum {string}
               */
              nulls?: 'impute' | 'refuse';
            };
            /**
             * @default {
             *       "test": 0.2,
             *       "validation": 0.1,
             *       "seed": 42
             *     }
             */
            split?: {
              /** @default 42 */
              seed?: number;
              /** @default 0.2 */
              test?: number;
              /** @default 0.1 */
              validation?: number;
            };
            /** @enum {string} */
            task: 'binary' | 'multiclass' | 'regression';
            /**
             * @default {
             *       "hiddenLayers": [
             *         32,
             *         16
             *       ],
             *       "activation": "relu",
             *       "epochs": 20,
             *       "batchSize": 64,
             *       "learningRate": 0.01,
             *       "seed": 7
             *     }
             */
            training?: {
              /**
               * @default relu
               * @enum {string}
               */
              activation?: 'relu' | 'tanh' | 'sigmoid' | 'elu';
              /** @default 64 */
              batchSize?: number;
              earlyStopping?: {
                /** @default 0.001 */
                minDelta?: number;
                /** @default 3 */
                patience?: number;
              };
              /** @default 20 */
              epochs?: number;
              /**
               * @default [
               *       32,
               *       16
               *     ]
               */
              hiddenLayers?: number[];
              /** @default 0.01 */
              learningRate?: number;
              /** @default 7 */
              seed?: number;
            };
            /**
             * @default {
             *       "minRows": 100,
             *       "maxNullFraction": 0.05,
             *       "maxDuplicateFraction": 0.01,
             *       "minClassFraction": 0.05,
             *       "ranges": {},
             *       "domains": {},
             *       "drift": {
             *         "warn": 0.1,
             *         "fail": 0.25
             *       }
             *     }
             */
            validation?: {
              /** @default {} */
              domains?: {
                [key: string]: string[];
              };
              /**
               * @default {
               *       "warn": 0.1,
               *       "fail": 0.25
               *     }
               */
              drift?: {
                /** @default 0.25 */
                fail?: number;
                /** @default 0.1 */
                warn?: number;
              };
              /** @default 0.01 */
              maxDuplicateFraction?: number;
              /** @default 0.05 */
              maxNullFraction?: number;
              /** @default 0.05 */
              minClassFraction?: number;
              /** @default 100 */
              minRows?: number;
              /** @default {} */
              ranges?: {
                [key: string]: {
                  max?: number;
                  min?: number;
                };
              };
            };
          };
          /**
           * @example {
           *       "name": "churn",
           *       "description": "Predict whether a subscriber cancels within 30 days.",
           *       "model": "churn",
           *       "dataset": {
           *         "name": "churn",
           *         "label": "churned",
           *         "categorical": [
           *           "plan",
           *           "region",
           *           "payment_method"
           *         ]
           *       },
           *       "task": "binary",
           *       "training": {
           *         "epochs": 12,
           *         "batchSize": 128
           *       }
           *     }
           */
          'text/yaml': {
            /**
             * @default {
             *       "policy": "manual",
             *       "timeout": "7d",
             *       "onTimeout": "reject",
             *       "fourEyes": true
             *     }
             */
            approval?: {
              /** @default true */
              fourEyes?: boolean;
              /**
               * @default reject
               * @enum {string}
               */
              onTimeout?: 'reject' | 'approve';
              /**
               * @default manual
               * @enum {string}
               */
              policy?: 'manual' | 'auto' | 'auto-if-better';
              /** @default 7d */
              timeout?: string;
            };
            dataset: {
              /** @default [] */
              categorical?: string[];
              /** @default all-but-label */
              features?: 'all-but-label' | string[];
              label: string;
              name: string;
              /** @description pin a snapshot; default is the dataset's latest */
              snapshot?: string;
            };
            description?: string;
            /**
             * @default {
             *       "thresholds": {},
             *       "maxRegression": 0.02,
             *       "slices": []
             *     }
             */
            evaluation?: {
              /** @default 0.02 */
              maxRegression?: number;
              /** @enum {string} */
              primaryMetric?: 'accuracy' | 'f1' | 'auc' | 'precision' | 'recall' | 'rmse' | 'mae' | 'r2';
              /** @default [] */
              slices?: string[];
              /** @default {} */
              thresholds?: {
                [key: string]: number;
              };
            };
            /** @description registry name of the model this pipeline produces */
            model: string;
            monitoring?: {
              /** @default 0.25 */
              driftThreshold?: number;
              /** @default true */
              enabled?: boolean;
              /** @default 1h */
              interval?: string;
              /** @default 50 */
              minLabels?: number;
              minOnlineAccuracy?: number;
              /** @default 100 */
              minPredictions?: number;
              /** Format: uri */
              webhookUrl?: string;
              /** @default 1h */
              window?: string;
            };
            name: string;
            /**
             * @default {
             *       "strategy": "direct",
             *       "steps": [
             *         10,
             *         50,
             *         100
             *       ],
             *       "bake": "10m",
             *       "guards": {
             *         "maxErrorRate": 0.01,
             *         "maxP99LatencyMs": 250,
             *         "maxPredictionPsi": 0.25,
             *         "minLabels": 50,
             *         "minRequests": 20
             *       }
             *     }
             */
            rollout?: {
              /** @default 10m */
              bake?: string;
              /**
               * @default {
               *       "maxErrorRate": 0.01,
               *       "maxP99LatencyMs": 250,
               *       "maxPredictionPsi": 0.25,
               *       "minLabels": 50,
               *       "minRequests": 20
               *     }
               */
              guards?: {
                /** @default 0.01 */
                maxErrorRate?: number;
                /** @default 250 */
                maxP99LatencyMs?: number;
                /** @default 0.25 */
                maxPredictionPsi?: number;
                /** @default 50 */
                minLabels?: number;
                minOnlineAccuracy?: number;
                /** @default 20 */
                minRequests?: number;
              };
              /**
               * @default [
               *       10,
               *       50,
               *       100
               *     ]
               */
              steps?: number[];
              /**
               * @default direct
               * @enum {string}
               */
              strategy?: 'direct' | 'shadow' | 'canary';
            };
            schedule?: {
              cron: string;
              /** @default true */
              enabled?: boolean;
              /** @default UTC */
              timezone?: string;
            };
            /**
             * @default {
             *       "nulls": "impute"
             *     }
             */
            serving?: {
              /**
               * @default impute
               * @enum {string}
               */
              nulls?: 'impute' | 'refuse';
            };
            /**
             * @default {
             *       "test": 0.2,
             *       "validation": 0.1,
             *       "seed": 42
             *     }
             */
            split?: {
              /** @default 42 */
              seed?: number;
              /** @default 0.2 */
              test?: number;
              /** @default 0.1 */
              validation?: number;
            };
            /** @enum {string} */
            task: 'binary' | 'multiclass' | 'regression';
            /**
             * @default {
             *       "hiddenLayers": [
             *         32,
             *         16
             *       ],
             *       "activation": "relu",
             *       "epochs": 20,
             *       "batchSize": 64,
             *       "learningRate": 0.01,
             *       "seed": 7
             *     }
             */
            training?: {
              /**
               * @default relu
               * @enum {string}
               */
              activation?: 'relu' | 'tanh' | 'sigmoid' | 'elu';
              /** @default 64 */
              batchSize?: number;
              earlyStopping?: {
                /** @default 0.001 */
                minDelta?: number;
                /** @default 3 */
                patience?: number;
              };
              /** @default 20 */
              epochs?: number;
              /**
               * @default [
               *       32,
               *       16
               *     ]
               */
              hiddenLayers?: number[];
              /** @default 0.01 */
              learningRate?: number;
              /** @default 7 */
              seed?: number;
            };
            /**
             * @default {
             *       "minRows": 100,
             *       "maxNullFraction": 0.05,
             *       "maxDuplicateFraction": 0.01,
             *       "minClassFraction": 0.05,
             *       "ranges": {},
             *       "domains": {},
             *       "drift": {
             *         "warn": 0.1,
             *         "fail": 0.25
             *       }
             *     }
             */
            validation?: {
              /** @default {} */
              domains?: {
                [key: string]: string[];
              };
              /**
               * @default {
               *       "warn": 0.1,
               *       "fail": 0.25
               *     }
               */
              drift?: {
                /** @default 0.25 */
                fail?: number;
                /** @default 0.1 */
                warn?: number;
              };
              /** @default 0.01 */
              maxDuplicateFraction?: number;
              /** @default 0.05 */
              maxNullFraction?: number;
              /** @default 0.05 */
              minClassFraction?: number;
              /** @default 100 */
              minRows?: number;
              /** @default {} */
              ranges?: {
                [key: string]: {
                  max?: number;
                  min?: number;
                };
              };
            };
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /** @description dotted spec paths that differ from the current version, sorted; empty when created or unchanged */
              changedFields: string[];
              /** @description true: nothing was stored and no schedule was synced */
              dryRun: boolean;
              name: string;
              outcome: 'created' | 'changed' | 'unchanged';
              /** @description who last set or changed a privileged field (null: all at their defaults) */
              privilegedBy?: string | null;
              /** @description the commit (and file) the current version was applied from; null when none was named */
              source: {
                commit: string;
                path: string | null;
              } | null;
              spec: {
                [key: string]: unknown;
              };
              specHash: string;
              updatedAt: string;
              updatedBy: string;
              /** @description checks that could not be made now, e.g. against a dataset with no snapshot yet */
              warnings: string[];
            };
          };
        };
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /** @description dotted spec paths that differ from the current version, sorted; empty when created or unchanged */
              changedFields: string[];
              /** @description true: nothing was stored and no schedule was synced */
              dryRun: boolean;
              name: string;
              outcome: 'created' | 'changed' | 'unchanged';
              /** @description who last set or changed a privileged field (null: all at their defaults) */
              privilegedBy?: string | null;
              /** @description the commit (and file) the current version was applied from; null when none was named */
              source: {
                commit: string;
                path: string | null;
              } | null;
              spec: {
                [key: string]: unknown;
              };
              specHash: string;
              updatedAt: string;
              updatedBy: string;
              /** @description checks that could not be made now, e.g. against a dataset with no snapshot yet */
              warnings: string[];
            };
          };
        };
        /** @description the request breaks a rule: `errors` names each field and rule */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no valid bearer token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the token's role may not do this */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no such resource */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the resource is not in a state that allows this */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the body is larger than the limit */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the Content-Type is not one the operation accepts */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description rate limit exceeded */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description internal error (details only in the server log) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description a dependency (Temporal or object storage) is unavailable: retry after Retry-After seconds */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
      };
    };
    post?: never;
    /** Unregister a pipeline and delete its schedules; its runs, models and spec versions stay (a spec in the pipelines directory returns at the next start-up) */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /**
           * @description lowercase letters, digits, "_" and "-", up to 63
           * @example churn
           */
          pipeline: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description unregistered */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description the request breaks a rule: `errors` names each field and rule */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no valid bearer token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the token's role may not do this */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no such resource */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the resource is not in a state that allows this */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description rate limit exceeded */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description internal error (details only in the server log) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description a dependency (Temporal or object storage) is unavailable: retry after Retry-After seconds */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/pipelines/{pipeline}/runs': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Start a training run (Idempotency-Key: the same key returns the same run) */
    post: {
      parameters: {
        query?: never;
        header?: {
          /** @example nightly-2026-12-02 */
          'idempotency-key'?: string;
        };
        path: {
          /**
           * @description lowercase letters, digits, "_" and "-", up to 63
           * @example churn
           */
          pipeline: string;
        };
        cookie?: never;
      };
      requestBody?: {
        content: {
          'application/json': {
            approval?: 'manual' | 'auto' | 'auto-if-better';
            /** @description a snapshot hash or a dataset name (its latest snapshot) */
            dataset?: string;
            overrides?: {
              approval?: {
                /** @example 2d */
                timeout?: string;
              };
              training?: {
                batchSize?: number;
                epochs?: number;
                learningRate?: number;
              };
            };
            reason?: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        202: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              links: {
                self: string;
                temporalUi: string;
              };
              runId: string;
              status: string;
            };
          };
        };
        /** @description the request breaks a rule: `errors` names each field and rule */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no valid bearer token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the token's role may not do this */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no such resource */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the resource is not in a state that allows this */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the body is larger than the limit */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the Content-Type is not one the operation accepts */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description rate limit exceeded */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description internal error (details only in the server log) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description a dependency (Temporal or object storage) is unavailable: retry after Retry-After seconds */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/pipelines/{pipeline}/schedule': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A pipeline's retraining schedule: cron, state, next and recent runs */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /**
           * @description lowercase letters, digits, "_" and "-", up to 63
           * @example churn
           */
          pipeline: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              catchupWindowMs: number;
              cron: string | null;
              links: {
                self: string;
                temporalUi: string;
              };
              /** @description the next five start times; empty while paused */
              nextRuns: string[];
              note: string | null;
              overlap: string;
              paused: boolean;
              pipeline: string;
              /** @description newest first */
              recentRuns: {
                runId: string;
                scheduledAt: string;
                startedAt: string;
              }[];
              scheduleId: string;
              specHash: string | null;
              timezone: string;
            };
          };
        };
        /** @description the request breaks a rule: `errors` names each field and rule */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no valid bearer token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the token's role may not do this */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no such resource */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the resource is not in a state that allows this */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description rate limit exceeded */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description internal error (details only in the server log) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description a dependency (Temporal or object storage) is unavailable: retry after Retry-After seconds */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
      };
    };
    /** Create or replace the schedule from the spec's, with the body's overrides (until the spec next changes) */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /**
           * @description lowercase letters, digits, "_" and "-", up to 63
           * @example churn
           */
          pipeline: string;
        };
        cookie?: never;
      };
      requestBody?: {
        content: {
          /**
           * @example {
           *       "cron": "30 3 * * 1-5",
           *       "timezone": "Europe/Berlin"
           *     }
           */
          'application/json': {
            /**
             * @description a 5-field cron expression such as "0 2 * * *" or "30 3 * * 1-5", numbers only, at most 200 characters (default: the spec's)
             * @example 0 2 * * *
             */
            cron?: string;
            /** @description default: not the spec's `enabled` */
            paused?: boolean;
            /**
             * @description an IANA time zone such as "Europe/Berlin" (default: the spec's, else UTC)
             * @example Europe/Berlin
             * @enum {string}
             */
            timezone?:
              | 'UTC'
              | 'Africa/Abidjan'
              | 'Africa/Accra'
              | 'Africa/Addis_Ababa'
              | 'Africa/Algiers'
              | 'Africa/Asmera'
              | 'Africa/Bamako'
              | 'Africa/Bangui'
              | 'Africa/Banjul'
              | 'Africa/Bissau'
              | 'Africa/Blantyre'
              | 'Africa/Brazzaville'
              | 'Africa/Bujumbura'
              | 'Africa/Cairo'
              | 'Africa/Casablanca'
              | 'Africa/Ceuta'
              | 'Africa/Conakry'
              | 'Africa/Dakar'
              | 'Africa/Dar_es_Salaam'
              | 'Africa/Djibouti'
              | 'Africa/Douala'
              | 'Africa/El_Aaiun'
              | 'Africa/Freetown'
              | 'Africa/Gaborone'
              | 'Africa/Harare'
              | 'Africa/Johannesburg'
              | 'Africa/Juba'
              | 'Africa/Kampala'
              | 'Africa/Khartoum'
              | 'Africa/Kigali'
              | 'Africa/Kinshasa'
              | 'Africa/Lagos'
              | 'Africa/Libreville'
              | 'Africa/Lome'
              | 'Africa/Luanda'
              | 'Africa/Lubumbashi'
              | 'Africa/Lusaka'
              | 'Africa/Malabo'
              | 'Africa/Maputo'
              | 'Africa/Maseru'
              | 'Africa/Mbabane'
              | 'Africa/Mogadishu'
              | 'Africa/Monrovia'
              | 'Africa/Nairobi'
              | 'Africa/Ndjamena'
              | 'Africa/Niamey'
              | 'Africa/Nouakchott'
              | 'Africa/Ouagadougou'
              | 'Africa/Porto-Novo'
              | 'Africa/Sao_Tome'
              | 'Africa/Tripoli'
              | 'Africa/Tunis'
              | 'Africa/Windhoek'
              | 'America/Adak'
              | 'America/Anchorage'
              | 'America/Anguilla'
              | 'America/Antigua'
              | 'America/Araguaina'
              | 'America/Argentina/La_Rioja'
              | 'America/Argentina/Rio_Gallegos'
              | 'America/Argentina/Salta'
              | 'America/Argentina/San_Juan'
              | 'America/Argentina/San_Luis'
              | 'America/Argentina/Tucuman'
              | 'America/Argentina/Ushuaia'
              | 'America/Aruba'
              | 'America/Asuncion'
              | 'America/Bahia'
              | 'America/Bahia_Banderas'
              | 'America/Barbados'
              | 'America/Belem'
              | 'America/Belize'
              | 'America/Blanc-Sablon'
              | 'America/Boa_Vista'
              | 'America/Bogota'
              | 'America/Boise'
              | 'America/Buenos_Aires'
              | 'America/Cambridge_Bay'
              | 'America/Campo_Grande'
              | 'America/Cancun'
              | 'America/Caracas'
              | 'America/Catamarca'
              | 'America/Cayenne'
              | 'America/Cayman'
              | 'America/Chicago'
              | 'America/Chihuahua'
              | 'America/Ciudad_Juarez'
              | 'America/Coral_Harbour'
              | 'America/Cordoba'
              | 'America/Costa_Rica'
              | 'America/Coyhaique'
              | 'America/Creston'
              | 'America/Cuiaba'
              | 'America/Curacao'
              | 'America/Danmarkshavn'
              | 'America/Dawson'
              | 'America/Dawson_Creek'
              | 'America/Denver'
              | 'America/Detroit'
              | 'America/Dominica'
              | 'America/Edmonton'
              | 'America/Eirunepe'
              | 'America/El_Salvador'
              | 'America/Fort_Nelson'
              | 'America/Fortaleza'
              | 'America/Glace_Bay'
              | 'America/Godthab'
              | 'America/Goose_Bay'
              | 'America/Grand_Turk'
              | 'America/Grenada'
              | 'America/Guadeloupe'
              | 'America/Guatemala'
              | 'America/Guayaquil'
              | 'America/Guyana'
              | 'America/Halifax'
              | 'America/Havana'
              | 'America/Hermosillo'
              | 'America/Indiana/Knox'
              | 'America/Indiana/Marengo'
              | 'America/Indiana/Petersburg'
              | 'America/Indiana/Tell_City'
              | 'America/Indiana/Vevay'
              | 'America/Indiana/Vincennes'
              | 'America/Indiana/Winamac'
              | 'America/Indianapolis'
              | 'America/Inuvik'
              | 'America/Iqaluit'
              | 'America/Jamaica'
              | 'America/Jujuy'
              | 'America/Juneau'
              | 'America/Kentucky/Monticello'
              | 'America/Kralendijk'
              | 'America/La_Paz'
              | 'America/Lima'
              | 'America/Los_Angeles'
              | 'America/Louisville'
              | 'America/Lower_Princes'
              | 'America/Maceio'
              | 'America/Managua'
              | 'America/Manaus'
              | 'America/Marigot'
              | 'America/Martinique'
              | 'America/Matamoros'
              | 'America/Mazatlan'
              | 'America/Mendoza'
              | 'America/Menominee'
              | 'America/Merida'
              | 'America/Metlakatla'
              | 'America/Mexico_City'
              | 'America/Miquelon'
              | 'America/Moncton'
              | 'America/Monterrey'
              | 'America/Montevideo'
              | 'America/Montserrat'
              | 'America/Nassau'
              | 'America/New_York'
              | 'America/Nome'
              | 'America/Noronha'
              | 'America/North_Dakota/Beulah'
              | 'America/North_Dakota/Center'
              | 'America/North_Dakota/New_Salem'
              | 'America/Ojinaga'
              | 'America/Panama'
              | 'America/Paramaribo'
              | 'America/Phoenix'
              | 'America/Port-au-Prince'
              | 'America/Port_of_Spain'
              | 'America/Porto_Velho'
              | 'America/Puerto_Rico'
              | 'America/Punta_Arenas'
              | 'America/Rankin_Inlet'
              | 'America/Recife'
              | 'America/Regina'
              | 'America/Resolute'
              | 'America/Rio_Branco'
              | 'America/Santarem'
              | 'America/Santiago'
              | 'America/Santo_Domingo'
              | 'America/Sao_Paulo'
              | 'America/Scoresbysund'
              | 'America/Sitka'
              | 'America/St_Barthelemy'
              | 'America/St_Johns'
              | 'America/St_Kitts'
              | 'America/St_Lucia'
              | 'America/St_Thomas'
              | 'America/St_Vincent'
              | 'America/Swift_Current'
              | 'America/Tegucigalpa'
              | 'America/Thule'
              | 'America/Tijuana'
              | 'America/Toronto'
              | 'America/Tortola'
              | 'America/Vancouver'
              | 'America/Whitehorse'
              | 'America/Winnipeg'
              | 'America/Yakutat'
              | 'Antarctica/Casey'
              | 'Antarctica/Davis'
              | 'Antarctica/DumontDUrville'
              | 'Antarctica/Macquarie'
              | 'Antarctica/Mawson'
              | 'Antarctica/McMurdo'
              | 'Antarctica/Palmer'
              | 'Antarctica/Rothera'
              | 'Antarctica/Syowa'
              | 'Antarctica/Troll'
              | 'Antarctica/Vostok'
              | 'Arctic/Longyearbyen'
              | 'Asia/Aden'
              | 'Asia/Almaty'
              | 'Asia/Amman'
              | 'Asia/Anadyr'
              | 'Asia/Aqtau'
              | 'Asia/Aqtobe'
              | 'Asia/Ashgabat'
              | 'Asia/Atyrau'
              | 'Asia/Baghdad'
              | 'Asia/Bahrain'
              | 'Asia/Baku'
              | 'Asia/Bangkok'
              | 'Asia/Barnaul'
              | 'Asia/Beirut'
              | 'Asia/Bishkek'
              | 'Asia/Brunei'
              | 'Asia/Calcutta'
              | 'Asia/Chita'
              | 'Asia/Colombo'
              | 'Asia/Damascus'
              | 'Asia/Dhaka'
              | 'Asia/Dili'
              | 'Asia/Dubai'
              | 'Asia/Dushanbe'
              | 'Asia/Famagusta'
              | 'Asia/Gaza'
              | 'Asia/Hebron'
              | 'Asia/Hong_Kong'
              | 'Asia/Hovd'
              | 'Asia/Irkutsk'
              | 'Asia/Jakarta'
              | 'Asia/Jayapura'
              | 'Asia/Jerusalem'
              | 'Asia/Kabul'
              | 'Asia/Kamchatka'
              | 'Asia/Karachi'
              | 'Asia/Katmandu'
              | 'Asia/Khandyga'
              | 'Asia/Krasnoyarsk'
              | 'Asia/Kuala_Lumpur'
              | 'Asia/Kuching'
              | 'Asia/Kuwait'
              | 'Asia/Macau'
              | 'Asia/Magadan'
              | 'Asia/Makassar'
              | 'Asia/Manila'
              | 'Asia/Muscat'
              | 'Asia/Nicosia'
              | 'Asia/Novokuznetsk'
              | 'Asia/Novosibirsk'
              | 'Asia/Omsk'
              | 'Asia/Oral'
              | 'Asia/Phnom_Penh'
              | 'Asia/Pontianak'
              | 'Asia/Pyongyang'
              | 'Asia/Qatar'
              | 'Asia/Qostanay'
              | 'Asia/Qyzylorda'
              | 'Asia/Rangoon'
              | 'Asia/Riyadh'
              | 'Asia/Saigon'
              | 'Asia/Sakhalin'
              | 'Asia/Samarkand'
              | 'Asia/Seoul'
              | 'Asia/Shanghai'
              | 'Asia/Singapore'
              | 'Asia/Srednekolymsk'
              | 'Asia/Taipei'
              | 'Asia/Tashkent'
              | 'Asia/Tbilisi'
              | 'Asia/Tehran'
              | 'Asia/Thimphu'
              | 'Asia/Tokyo'
              | 'Asia/Tomsk'
              | 'Asia/Ulaanbaatar'
              | 'Asia/Urumqi'
              | 'Asia/Ust-Nera'
              | 'Asia/Vientiane'
              | 'Asia/Vladivostok'
              | 'Asia/Yakutsk'
              | 'Asia/Yekaterinburg'
              | 'Asia/Yerevan'
              | 'Atlantic/Azores'
              | 'Atlantic/Bermuda'
              | 'Atlantic/Canary'
              | 'Atlantic/Cape_Verde'
              | 'Atlantic/Faeroe'
              | 'Atlantic/Madeira'
              | 'Atlantic/Reykjavik'
              | 'Atlantic/South_Georgia'
              | 'Atlantic/St_Helena'
              | 'Atlantic/Stanley'
              | 'Australia/Adelaide'
              | 'Australia/Brisbane'
              | 'Australia/Broken_Hill'
              | 'Australia/Darwin'
              | 'Australia/Eucla'
              | 'Australia/Hobart'
              | 'Australia/Lindeman'
              | 'Australia/Lord_Howe'
              | 'Australia/Melbourne'
              | 'Australia/Perth'
              | 'Australia/Sydney'
              | 'Europe/Amsterdam'
              | 'Europe/Andorra'
              | 'Europe/Astrakhan'
              | 'Europe/Athens'
              | 'Europe/Belgrade'
              | 'Europe/Berlin'
              | 'Europe/Bratislava'
              | 'Europe/Brussels'
              | 'Europe/Bucharest'
              | 'Europe/Budapest'
              | 'Europe/Busingen'
              | 'Europe/Chisinau'
              | 'Europe/Copenhagen'
              | 'Europe/Dublin'
              | 'Europe/Gibraltar'
              | 'Europe/Guernsey'
              | 'Europe/Helsinki'
              | 'Europe/Isle_of_Man'
              | 'Europe/Istanbul'
              | 'Europe/Jersey'
              | 'Europe/Kaliningrad'
              | 'Europe/Kiev'
              | 'Europe/Kirov'
              | 'Europe/Lisbon'
              | 'Europe/Ljubljana'
              | 'Europe/London'
              | 'Europe/Luxembourg'
              | 'Europe/Madrid'
              | 'Europe/Malta'
              | 'Europe/Mariehamn'
              | 'Europe/Minsk'
              | 'Europe/Monaco'
              | 'Europe/Moscow'
              | 'Europe/Oslo'
              | 'Europe/Paris'
              | 'Europe/Podgorica'
              | 'Europe/Prague'
              | 'Europe/Riga'
              | 'Europe/Rome'
              | 'Europe/Samara'
              | 'Europe/San_Marino'
              | 'Europe/Sarajevo'
              | 'Europe/Saratov'
              | 'Europe/Simferopol'
              | 'Europe/Skopje'
              | 'Europe/Sofia'
              | 'Europe/Stockholm'
              | 'Europe/Tallinn'
              | 'Europe/Tirane'
              | 'Europe/Ulyanovsk'
              | 'Europe/Vaduz'
              | 'Europe/Vatican'
              | 'Europe/Vienna'
              | 'Europe/Vilnius'
              | 'Europe/Volgograd'
              | 'Europe/Warsaw'
              | 'Europe/Zagreb'
              | 'Europe/Zurich'
              | 'Indian/Antananarivo'
              | 'Indian/Chagos'
              | 'Indian/Christmas'
              | 'Indian/Cocos'
              | 'Indian/Comoro'
              | 'Indian/Kerguelen'
              | 'Indian/Mahe'
              | 'Indian/Maldives'
              | 'Indian/Mauritius'
              | 'Indian/Mayotte'
              | 'Indian/Reunion'
              | 'Pacific/Apia'
              | 'Pacific/Auckland'
              | 'Pacific/Bougainville'
              | 'Pacific/Chatham'
              | 'Pacific/Easter'
              | 'Pacific/Efate'
              | 'Pacific/Enderbury'
              | 'Pacific/Fakaofo'
              | 'Pacific/Fiji'
              | 'Pacific/Funafuti'
              | 'Pacific/Galapagos'
              | 'Pacific/Gambier'
              | 'Pacific/Guadalcanal'
              | 'Pacific/Guam'
              | 'Pacific/Honolulu'
              | 'Pacific/Kiritimati'
              | 'Pacific/Kosrae'
              | 'Pacific/Kwajalein'
              | 'Pacific/Majuro'
              | 'Pacific/Marquesas'
              | 'Pacific/Midway'
              | 'Pacific/Nauru'
              | 'Pacific/Niue'
              | 'Pacific/Norfolk'
              | 'Pacific/Noumea'
              | 'Pacific/Pago_Pago'
              | 'Pacific/Palau'
              | 'Pacific/Pitcairn'
              | 'Pacific/Ponape'
              | 'Pacific/Port_Moresby'
              | 'Pacific/Rarotonga'
              | 'Pacific/Saipan'
              | 'Pacific/Tahiti'
              | 'Pacific/Tarawa'
              | 'Pacific/Tongatapu'
              | 'Pacific/Truk'
              | 'Pacific/Wake'
              | 'Pacific/Wallis';
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              catchupWindowMs: number;
              cron: string | null;
              links: {
                self: string;
                temporalUi: string;
              };
              /** @description the next five start times; empty while paused */
              nextRuns: string[];
              note: string | null;
              overlap: string;
              paused: boolean;
              pipeline: string;
              /** @description newest first */
              recentRuns: {
                runId: string;
                scheduledAt: string;
                startedAt: string;
              }[];
              scheduleId: string;
              specHash: string | null;
              timezone: string;
            };
          };
        };
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              catchupWindowMs: number;
              cron: string | null;
              links: {
                self: string;
                temporalUi: string;
              };
              /** @description the next five start times; empty while paused */
              nextRuns: string[];
              note: string | null;
              overlap: string;
              paused: boolean;
              pipeline: string;
              /** @description newest first */
              recentRuns: {
                runId: string;
                scheduledAt: string;
                startedAt: string;
              }[];
              scheduleId: string;
              specHash: string | null;
              timezone: string;
            };
          };
        };
        /** @description the request breaks a rule: `errors` names each field and rule */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no valid bearer token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the token's role may not do this */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no such resource */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the resource is not in a state that allows this */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the body is larger than the limit */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the Content-Type is not one the operation accepts */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description rate limit exceeded */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description internal error (details only in the server log) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description a dependency (Temporal or object storage) is unavailable: retry after Retry-After seconds */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
      };
    };
    post?: never;
    /** Delete the schedule (a spec with `schedule` recreates it at the next start-up: pause to stop it for good) */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /**
           * @description lowercase letters, digits, "_" and "-", up to 63
           * @example churn
           */
          pipeline: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description the request breaks a rule: `errors` names each field and rule */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no valid bearer token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the token's role may not do this */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no such resource */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the resource is not in a state that allows this */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description rate limit exceeded */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description internal error (details only in the server log) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description a dependency (Temporal or object storage) is unavailable: retry after Retry-After seconds */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/pipelines/{pipeline}/schedule/backfill': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Run the schedule for the times it would have started between `from` and `to` (e.g. nights missed in an outage)
     * @description Cross-field rules (400 invalid-backfill naming the field): `to` later than `from`, at most 366 days after it, and not in the future; both real dates.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /**
           * @description lowercase letters, digits, "_" and "-", up to 63
           * @example churn
           */
          pipeline: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          /**
           * @example {
           *       "from": "2026-11-01T00:00:00Z",
           *       "to": "2026-11-03T00:00:00Z"
           *     }
           */
          'application/json': {
            /**
             * @description start of the range (inclusive), an RFC 3339 date-time
             * @example 2026-11-01T00:00:00Z
             */
            from: string;
            /**
             * @description how backfilled runs overlap (default SKIP, the schedule's: runs due while one goes are dropped; BUFFER_ALL runs them one after another)
             * @enum {string}
             */
            overlap?: 'SKIP' | 'BUFFER_ONE' | 'BUFFER_ALL';
            /**
             * @description end of the range: later than `from`, at most 366 days after it, not in the future
             * @example 2026-11-03T00:00:00Z
             */
            to: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        202: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              from: string;
              overlap: string;
              scheduleId: string;
              to: string;
            };
          };
        };
        /** @description the request breaks a rule: `errors` names each field and rule */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no valid bearer token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the token's role may not do this */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no such resource */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the resource is not in a state that allows this */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the body is larger than the limit */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the Content-Type is not one the operation accepts */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description rate limit exceeded */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description internal error (details only in the server log) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description a dependency (Temporal or object storage) is unavailable: retry after Retry-After seconds */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/pipelines/{pipeline}/schedule/pause': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Pause the schedule, with an optional note (the caller is recorded in it) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /**
           * @description lowercase letters, digits, "_" and "-", up to 63
           * @example churn
           */
          pipeline: string;
        };
        cookie?: never;
      };
      requestBody?: {
        content: {
          /**
           * @example {
           *       "note": "paused over the data migration"
           *     }
           */
          'application/json': {
            note?: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              catchupWindowMs: number;
              cron: string | null;
              links: {
                self: string;
                temporalUi: string;
              };
              /** @description the next five start times; empty while paused */
              nextRuns: string[];
              note: string | null;
              overlap: string;
              paused: boolean;
              pipeline: string;
              /** @description newest first */
              recentRuns: {
                runId: string;
                scheduledAt: string;
                startedAt: string;
              }[];
              scheduleId: string;
              specHash: string | null;
              timezone: string;
            };
          };
        };
        /** @description the request breaks a rule: `errors` names each field and rule */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no valid bearer token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the token's role may not do this */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no such resource */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the resource is not in a state that allows this */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the body is larger than the limit */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the Content-Type is not one the operation accepts */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description rate limit exceeded */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description internal error (details only in the server log) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description a dependency (Temporal or object storage) is unavailable: retry after Retry-After seconds */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/pipelines/{pipeline}/schedule/trigger': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Start the scheduled run now (overlap SKIP: 409 while a run of the schedule is in progress) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /**
           * @description lowercase letters, digits, "_" and "-", up to 63
           * @example churn
           */
          pipeline: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        202: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              overlap: string;
              runId: string | null;
              scheduleId: string;
            };
          };
        };
        /** @description the request breaks a rule: `errors` names each field and rule */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no valid bearer token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the token's role may not do this */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no such resource */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the resource is not in a state that allows this */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description rate limit exceeded */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description internal error (details only in the server log) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description a dependency (Temporal or object storage) is unavailable: retry after Retry-After seconds */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/pipelines/{pipeline}/schedule/unpause': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Unpause the schedule, with an optional note (the caller is recorded in it) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /**
           * @description lowercase letters, digits, "_" and "-", up to 63
           * @example churn
           */
          pipeline: string;
        };
        cookie?: never;
      };
      requestBody?: {
        content: {
          /**
           * @example {
           *       "note": "paused over the data migration"
           *     }
           */
          'application/json': {
            note?: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              catchupWindowMs: number;
              cron: string | null;
              links: {
                self: string;
                temporalUi: string;
              };
              /** @description the next five start times; empty while paused */
              nextRuns: string[];
              note: string | null;
              overlap: string;
              paused: boolean;
              pipeline: string;
              /** @description newest first */
              recentRuns: {
                runId: string;
                scheduledAt: string;
                startedAt: string;
              }[];
              scheduleId: string;
              specHash: string | null;
              timezone: string;
            };
          };
        };
        /** @description the request breaks a rule: `errors` names each field and rule */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no valid bearer token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the token's role may not do this */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no such resource */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the resource is not in a state that allows this */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the body is larger than the limit */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the Content-Type is not one the operation accepts */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description rate limit exceeded */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description internal error (details only in the server log) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description a dependency (Temporal or object storage) is unavailable: retry after Retry-After seconds */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/pipelines/{pipeline}/versions': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A pipeline's spec history, newest first: each change of its current version */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /**
           * @description lowercase letters, digits, "_" and "-", up to 63
           * @example churn
           */
          pipeline: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              versions: {
                privilegedBy: string | null;
                source: {
                  commit: string;
                  path: string | null;
                } | null;
                specHash: string;
                updatedAt: string;
                updatedBy: string;
              }[];
            };
          };
        };
        /** @description the request breaks a rule: `errors` names each field and rule */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no valid bearer token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the token's role may not do this */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no such resource */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the resource is not in a state that allows this */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description rate limit exceeded */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description internal error (details only in the server log) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description a dependency (Temporal or object storage) is unavailable: retry after Retry-After seconds */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/runs': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List runs (newest first), filtered and paginated */
    get: {
      parameters: {
        query?: {
          /** @description opaque: a previous page's `nextCursor`, unchanged (base64url); any other value is refused with 400 invalid-cursor */
          cursor?: string;
          /**
           * @description lowercase letters, digits, "_" and "-", up to 63
           * @example churn
           */
          model?: string;
          /** @example 20 */
          pageSize?: number;
          /**
           * @description lowercase letters, digits, "_" and "-", up to 63
           * @example churn
           */
          pipeline?: string;
          stage?: 'validate' | 'train' | 'evaluate' | 'register' | 'approval' | 'rollout' | 'done';
          status?:
            'RUNNING' | 'COMPLETED' | 'FAILED' | 'CANCELED' | 'TERMINATED' | 'TIMED_OUT' | 'CONTINUED_AS_NEW';
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              nextCursor: string | null;
              runs: {
                closedAt: string | null;
                model: string | null;
                pipeline: string | null;
                runId: string;
                stage: string | null;
                startedAt: string | null;
                status: string;
                trigger: string | null;
              }[];
            };
          };
        };
        /** @description the request breaks a rule: `errors` names each field and rule */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no valid bearer token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the token's role may not do this */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no such resource */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the resource is not in a state that allows this */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description rate limit exceeded */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description internal error (details only in the server log) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description a dependency (Temporal or object storage) is unavailable: retry after Retry-After seconds */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/runs/{runId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A run: status, stage, candidate, metrics, what it waits for */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /**
           * @description a workflow id
           * @example train-churn-20261202T020000Z-4437b4d6
           */
          runId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              approvalDeadline: string | null;
              candidateVersion: number | null;
              closedAt: string | null;
              datasetSha: string | null;
              decision: {
                at: string;
                by: string;
                comment: string;
                decision: 'approve' | 'reject';
                via: string;
              } | null;
              evaluation: {
                championVersion: number | null;
                passed: boolean;
                primaryMetric: string;
                reasons: string[];
              } | null;
              failure: string | null;
              links: {
                self: string;
                temporalUi: string;
              };
              metrics: {
                [key: string]: number;
              } | null;
              model: string | null;
              outcome: string | null;
              pipeline: string | null;
              rollout: {
                [key: string]: unknown;
              } | null;
              runId: string;
              specHash: string | null;
              stage: string | null;
              startedAt: string | null;
              status: string;
              trigger: string | null;
              triggeredBy: string | null;
              validation: {
                datasetSha: string;
                errors: number;
                passed: boolean;
                reportKey: string;
                rowCount: number;
                warnings: string[];
              } | null;
              waitingFor: string | null;
            };
          };
        };
        /** @description the request breaks a rule: `errors` names each field and rule */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no valid bearer token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the token's role may not do this */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no such resource */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the resource is not in a state that allows this */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description rate limit exceeded */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description internal error (details only in the server log) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description a dependency (Temporal or object storage) is unavailable: retry after Retry-After seconds */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/runs/{runId}/approve': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Approve the run's candidate (identity from the token) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /**
           * @description a workflow id
           * @example train-churn-20261202T020000Z-4437b4d6
           */
          runId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          /**
           * @example {
           *       "comment": "holdout metrics and slices look good"
           *     }
           */
          'application/json': {
            comment: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              at: string;
              by: string;
              comment: string;
              decision: 'approve' | 'reject';
              via: string;
            };
          };
        };
        /** @description the request breaks a rule: `errors` names each field and rule */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no valid bearer token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the token's role may not do this */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no such resource */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the resource is not in a state that allows this */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the body is larger than the limit */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the Content-Type is not one the operation accepts */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description rate limit exceeded */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description internal error (details only in the server log) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description a dependency (Temporal or object storage) is unavailable: retry after Retry-After seconds */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/runs/{runId}/cancel': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Cancel a running run */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /**
           * @description a workflow id
           * @example train-churn-20261202T020000Z-4437b4d6
           */
          runId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        202: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              runId: string;
              status: string;
            };
          };
        };
        /** @description the request breaks a rule: `errors` names each field and rule */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no valid bearer token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the token's role may not do this */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no such resource */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the resource is not in a state that allows this */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description rate limit exceeded */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description internal error (details only in the server log) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description a dependency (Temporal or object storage) is unavailable: retry after Retry-After seconds */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/runs/{runId}/epochs': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A run's training epochs, by epoch then attempt */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /**
           * @description a workflow id
           * @example train-churn-20261202T020000Z-4437b4d6
           */
          runId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              epochs: {
                attempt: number;
                backend: string;
                epoch: number;
                loss: number | null;
                ms: number;
                samples: number;
                ts: string;
                valLoss: number | null;
                valMetric: number | null;
              }[];
              runId: string;
            };
          };
        };
        /** @description the request breaks a rule: `errors` names each field and rule */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no valid bearer token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the token's role may not do this */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no such resource */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the resource is not in a state that allows this */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description rate limit exceeded */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description internal error (details only in the server log) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description a dependency (Temporal or object storage) is unavailable: retry after Retry-After seconds */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/runs/{runId}/evaluation': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The run's evaluation: candidate against champion and thresholds, per slice, with the model card */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /**
           * @description a workflow id
           * @example train-churn-20261202T020000Z-4437b4d6
           */
          runId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              beatsChampion: boolean;
              candidate: {
                metrics: {
                  [key: string]: number;
                };
                version: number | null;
              };
              champion: {
                metrics: {
                  [key: string]: number;
                };
                version: number;
              } | null;
              createdAt: string;
              maxRegression: number | null;
              model: string;
              modelCard: string | null;
              passed: boolean;
              primaryMetric: string;
              /** @description why it passed or failed, one line per rule */
              reasons: string[];
              runId: string;
              slices: {
                candidate: {
                  [key: string]: number;
                };
                champion: {
                  [key: string]: number;
                } | null;
                column: string;
                count: number;
                value: string;
              }[];
              thresholds: {
                [key: string]: number;
              } | null;
            };
          };
        };
        /** @description the request breaks a rule: `errors` names each field and rule */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no valid bearer token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the token's role may not do this */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no such resource */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the resource is not in a state that allows this */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description rate limit exceeded */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description internal error (details only in the server log) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description a dependency (Temporal or object storage) is unavailable: retry after Retry-After seconds */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/runs/{runId}/events': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The run's timeline from its Temporal history (and its rollout's), oldest first: stages, activities with attempts, timers, decisions, rollout controls */
    get: {
      parameters: {
        query?: {
          /**
           * @description how many of the newest entries to answer
           * @example 100
           */
          limit?: number;
        };
        header?: never;
        path: {
          /**
           * @description a workflow id
           * @example train-churn-20261202T020000Z-4437b4d6
           */
          runId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              events: {
                /** @description when Temporal recorded it (ISO 8601, UTC) */
                at: string;
                /** @example trainModel attempt 1 */
                detail: string;
                /**
                 * @description started, stage, activity-scheduled/-started/-completed/-failed/-timed-out/-canceled, timer-started/-fired/-canceled, signal, update, update-completed, child-started/-completed/-failed/-canceled/-terminated/-timed-out, cancel-requested, completed, failed, canceled, terminated, timed-out, continued-as-new
                 * @example activity-completed
                 */
                kind: string;
                /** @description whose history holds it: the run's own or its rollout child's */
                workflow: 'run' | 'rollout';
              }[];
              /** @description older entries left out by `limit` */
              omitted: number;
            };
          };
        };
        /** @description the request breaks a rule: `errors` names each field and rule */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no valid bearer token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the token's role may not do this */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no such resource */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the resource is not in a state that allows this */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description rate limit exceeded */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description internal error (details only in the server log) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description a dependency (Temporal or object storage) is unavailable: retry after Retry-After seconds */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/runs/{runId}/reject': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Reject the run's candidate (identity from the token) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /**
           * @description a workflow id
           * @example train-churn-20261202T020000Z-4437b4d6
           */
          runId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          /**
           * @example {
           *       "comment": "holdout metrics and slices look good"
           *     }
           */
          'application/json': {
            comment: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              at: string;
              by: string;
              comment: string;
              decision: 'approve' | 'reject';
              via: string;
            };
          };
        };
        /** @description the request breaks a rule: `errors` names each field and rule */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no valid bearer token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the token's role may not do this */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no such resource */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the resource is not in a state that allows this */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the body is larger than the limit */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the Content-Type is not one the operation accepts */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description rate limit exceeded */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description internal error (details only in the server log) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description a dependency (Temporal or object storage) is unavailable: retry after Retry-After seconds */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/runs/{runId}/rollout': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The run's rollout live: status, plan with guard thresholds, and the bake in progress */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /**
           * @description a workflow id
           * @example train-churn-20261202T020000Z-4437b4d6
           */
          runId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              bake: {
                endsAt: string;
                startedAt: string;
              } | null;
              candidateVersion: number | null;
              model: string | null;
              plan: {
                bake: string;
                /** @description thresholds the guard numbers (rollout.lastGuards) are held to */
                guards: {
                  [key: string]: number;
                };
                steps: number[];
                strategy: string;
              } | null;
              rollout: {
                [key: string]: unknown;
              } | null;
              runId: string;
            };
          };
        };
        /** @description the request breaks a rule: `errors` names each field and rule */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no valid bearer token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the token's role may not do this */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no such resource */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the resource is not in a state that allows this */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description rate limit exceeded */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description internal error (details only in the server log) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description a dependency (Temporal or object storage) is unavailable: retry after Retry-After seconds */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/runs/{runId}/rollout/{action}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Control the run's rollout: pause, resume, abort (roll back now) or promote-now */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @example pause */
          action: 'pause' | 'resume' | 'abort' | 'promote-now';
          /**
           * @description a workflow id
           * @example train-churn-20261202T020000Z-4437b4d6
           */
          runId: string;
        };
        cookie?: never;
      };
      requestBody?: {
        content: {
          /**
           * @example {
           *       "reason": "p99 latency is creeping up"
           *     }
           */
          'application/json': {
            reason?: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              action: string;
              rollout: {
                [key: string]: unknown;
              };
              runId: string;
            };
          };
        };
        /** @description the request breaks a rule: `errors` names each field and rule */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no valid bearer token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the token's role may not do this */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no such resource */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the resource is not in a state that allows this */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the body is larger than the limit */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the Content-Type is not one the operation accepts */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description rate limit exceeded */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description internal error (details only in the server log) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description a dependency (Temporal or object storage) is unavailable: retry after Retry-After seconds */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/runs/{runId}/stages': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The run's stages (validate → … → done) with when each began and ended, from its history */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /**
           * @description a workflow id
           * @example train-churn-20261202T020000Z-4437b4d6
           */
          runId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              runId: string;
              stages: {
                endedAt: string | null;
                ms: number | null;
                /** @example train */
                stage: string;
                startedAt: string;
              }[];
            };
          };
        };
        /** @description the request breaks a rule: `errors` names each field and rule */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no valid bearer token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the token's role may not do this */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no such resource */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the resource is not in a state that allows this */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description rate limit exceeded */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description internal error (details only in the server log) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description a dependency (Temporal or object storage) is unavailable: retry after Retry-After seconds */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/runs/{runId}/stream': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * A run's live updates (server-sent events): `run`, `epoch`, then `end`
     * @description Events: `run` (the body of GET /v1/runs/{runId}) on connect and on every change; `epoch` (one row of GET /v1/runs/{runId}/epochs) for each epoch, those already trained first; `end` ({runId, status}) when the run has finished, after which the server closes the stream. A comment line every 15 s keeps it open.
     */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /**
           * @description a workflow id
           * @example train-churn-20261202T020000Z-4437b4d6
           */
          runId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description text/event-stream of run, epoch and end events */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'text/event-stream': string;
          };
        };
        /** @description the request breaks a rule: `errors` names each field and rule */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no valid bearer token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the token's role may not do this */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no such resource */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the resource is not in a state that allows this */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description rate limit exceeded */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description internal error (details only in the server log) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description a dependency (Temporal or object storage) is unavailable: retry after Retry-After seconds */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/runs/{runId}/validation': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Every validation check of a run's dataset, failed errors first; `passed` is false when any error-severity check failed */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /**
           * @description a workflow id
           * @example train-churn-20261202T020000Z-4437b4d6
           */
          runId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              checks: {
                check: string;
                column: string | null;
                message: string;
                observed: number | null;
                passed: boolean;
                severity: 'error' | 'warning';
                threshold: number | null;
                ts: string;
              }[];
              datasetSha: string | null;
              passed: boolean | null;
              runId: string;
            };
          };
        };
        /** @description the request breaks a rule: `errors` names each field and rule */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no valid bearer token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the token's role may not do this */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no such resource */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the resource is not in a state that allows this */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description rate limit exceeded */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description internal error (details only in the server log) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description a dependency (Temporal or object storage) is unavailable: retry after Retry-After seconds */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/runs/stream': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The runs list live (server-sent events): `runs`, and `approvals` for approvers
     * @description Events: `runs` (the body of GET /v1/runs with the same query, first page) on connect and whenever it changes; for a caller with the approver role or higher, `approvals` (the body of GET /v1/approvals for the same pipeline and model) on connect and whenever it changes. A comment line every 15 s keeps it open.
     */
    get: {
      parameters: {
        query?: {
          /**
           * @description lowercase letters, digits, "_" and "-", up to 63
           * @example churn
           */
          model?: string;
          /** @example 20 */
          pageSize?: number;
          /**
           * @description lowercase letters, digits, "_" and "-", up to 63
           * @example churn
           */
          pipeline?: string;
          stage?: 'validate' | 'train' | 'evaluate' | 'register' | 'approval' | 'rollout' | 'done';
          status?:
            'RUNNING' | 'COMPLETED' | 'FAILED' | 'CANCELED' | 'TERMINATED' | 'TIMED_OUT' | 'CONTINUED_AS_NEW';
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description text/event-stream of runs and approvals events */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'text/event-stream': string;
          };
        };
        /** @description the request breaks a rule: `errors` names each field and rule */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no valid bearer token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the token's role may not do this */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no such resource */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the resource is not in a state that allows this */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description rate limit exceeded */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description internal error (details only in the server log) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description a dependency (Temporal or object storage) is unavailable: retry after Retry-After seconds */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/session': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The current session (cookie), with its CSRF token */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            /**
             * @example {
             *       "identity": "ada-approver",
             *       "role": "approver",
             *       "csrfToken": "Qm9vdHN0cmFwcGVkLWNzcmYtdG9rZW4",
             *       "expiresAt": "2026-12-04T20:00:00.000Z"
             *     }
             */
            'application/json': {
              /** @description send it as header x-ferry-csrf on every call that changes something */
              csrfToken: string;
              /** Format: date-time */
              expiresAt: string;
              /** @description the token's name, recorded as the caller in decisions and audit */
              identity: string;
              role: 'viewer' | 'operator' | 'approver' | 'admin';
            };
          };
        };
        /** @description the request breaks a rule: `errors` names each field and rule */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no valid bearer token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the token's role may not do this */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no such resource */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the resource is not in a state that allows this */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description rate limit exceeded */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description internal error (details only in the server log) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description a dependency (Temporal or object storage) is unavailable: retry after Retry-After seconds */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
      };
    };
    put?: never;
    /**
     * Sign in: exchange an API token for a session cookie (the web console)
     * @description Sets the HttpOnly, SameSite=Strict cookie `ferry_session`. Calls that change something with it must send header `x-ferry-csrf` with `csrfToken`.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          /**
           * @example {
           *       "token": "ferry_…"
           *     }
           */
          'application/json': {
            /** @description an API bearer token */
            token: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            /**
             * @example {
             *       "identity": "ada-approver",
             *       "role": "approver",
             *       "csrfToken": "Qm9vdHN0cmFwcGVkLWNzcmYtdG9rZW4",
             *       "expiresAt": "2026-12-04T20:00:00.000Z"
             *     }
             */
            'application/json': {
              /** @description send it as header x-ferry-csrf on every call that changes something */
              csrfToken: string;
              /** Format: date-time */
              expiresAt: string;
              /** @description the token's name, recorded as the caller in decisions and audit */
              identity: string;
              role: 'viewer' | 'operator' | 'approver' | 'admin';
            };
          };
        };
        /** @description the request breaks a rule: `errors` names each field and rule */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the token is not valid */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the token's role may not do this */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no such resource */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the resource is not in a state that allows this */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the body is larger than the limit */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the Content-Type is not one the operation accepts */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description rate limit exceeded */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description internal error (details only in the server log) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description a dependency (Temporal or object storage) is unavailable: retry after Retry-After seconds */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
      };
    };
    /** Sign out: the session cookie is cleared and refused from now on */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description signed out */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description the request breaks a rule: `errors` names each field and rule */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no valid bearer token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the token's role may not do this */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no such resource */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the resource is not in a state that allows this */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description rate limit exceeded */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description internal error (details only in the server log) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description a dependency (Temporal or object storage) is unavailable: retry after Retry-After seconds */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/whoami': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The caller's token name and role */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            /**
             * @example {
             *       "name": "ada-approver",
             *       "role": "approver"
             *     }
             */
            'application/json': {
              /** @description the token's name, recorded as the caller in decisions and audit */
              name: string;
              /** @description each role includes the rights of those before it */
              role: 'viewer' | 'operator' | 'approver' | 'admin';
            };
          };
        };
        /** @description the request breaks a rule: `errors` names each field and rule */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no valid bearer token */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the token's role may not do this */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description no such resource */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description the resource is not in a state that allows this */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description rate limit exceeded */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description internal error (details only in the server log) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
        /** @description a dependency (Temporal or object storage) is unavailable: retry after Retry-After seconds */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['def-0'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export type webhooks = Record<string, never>;
export interface components {
  schemas: {
    /**
     * Problem
     * @description RFC 9457 problem details
     */
    'def-0': {
      code: string;
      detail?: string;
      errors?: {
        field: string;
        rule: string;
      }[];
      instance?: string;
      status: number;
      title: string;
      type: string;
    };
  };
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
