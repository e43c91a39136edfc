// Coded errors: thrown by the domain and the edges, translated to HTTP or to card text in one place.

export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Input from outside was wrong; the message says what and how to fix it. */
export class ValidationError extends AppError {
  constructor(message: string, code = 'invalid_input') {
    super(code, message);
  }
}

export class NotFoundError extends AppError {
  constructor(message: string) {
    super('not_found', message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message: string) {
    super('forbidden', message);
  }
}

/** Somebody changed the thing first; `current` is what is stored now. */
export class ConflictError<T = unknown> extends AppError {
  constructor(
    message: string,
    readonly current: T,
  ) {
    super('conflict', message);
  }
}

/** A stored file cannot be read; the app must stop rather than overwrite it. */
export class StorageError extends AppError {
  constructor(message: string) {
    super('storage', message);
  }
}

/**
 * The store cannot write right now (disk full, I/O error, the data folder's lock lost). Nothing
 * of the change was kept; the caller should try again later (HTTP `503` with `Retry-After`).
 */
export class StorageUnavailableError extends AppError {
  constructor(message: string) {
    super('storage_unavailable', message);
  }
}
