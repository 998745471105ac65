/**
 * How a component of a dossier came to be in digital form: not yet, digitized (scanned or uploaded for
 * this dossier), reused from the citizen's store, or reused from an earlier dossier's result.
 */
export const DIGITIZATIONS = ['not_digitized', 'digitized', 'reused', 'reused_result'] as const;
export type Digitization = (typeof DIGITIZATIONS)[number];
/** What a stored document can say of itself (a document exists, so it is digitized one way or another). */
export const DOCUMENT_DIGITIZATIONS = ['digitized', 'reused', 'reused_result'] as const;
export type DocumentDigitization = (typeof DOCUMENT_DIGITIZATIONS)[number];
