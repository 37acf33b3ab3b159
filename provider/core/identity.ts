/** `<project>/<stack>/<name>`: the identity that names a managed object on a device (set by the SDK). */
export const IDENTITY_PATTERN = /^[A-Za-z0-9._-]+\/[A-Za-z0-9._-]+\/[A-Za-z0-9._-]+$/;
