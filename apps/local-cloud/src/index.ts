export { startLocalCloud, type LocalCloud, type LocalCloudOptions, type ListenerAddress } from './local-cloud';
export { runLocalCloudCli } from './cli';
export { ImageStore, digestOf, type BuildImageInput, type BuiltImage, type StoredImage } from './runtime/image-store';
export { Faults, type ApiFaultRule, type ApiFaultKind, type TaskFaultKind } from './faults/faults';
export { createCloudTime } from './cloud-time';
export * from './contract';
