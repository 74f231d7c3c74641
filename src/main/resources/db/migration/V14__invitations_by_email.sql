-- The invitations pending for one address across organizations (a signed-in user's list of invitations to accept).
create index organization_invitations_email_idx on organization_invitations (email);
