export * from './invitation-acceptance.service';
export * from './invitation-view';
export * from './invitation.service';
