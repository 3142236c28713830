export * from './keywords/inbound-keyword.classifier';
export * from './window/texting-window.policy';
