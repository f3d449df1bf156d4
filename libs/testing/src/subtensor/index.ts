export { defaultMetadataPath, loadSubtensorMetadata, MetadataMissingError, METADATA_FILE, type SubtensorMetadata } from './metadata.js';
export { SubtensorTestNode, type BlockRef, type NeuronSeed, type SubnetHyperparameters, type SubtensorTestNodeOptions } from './test-node.js';
export { impostor } from './test-keys.js';
