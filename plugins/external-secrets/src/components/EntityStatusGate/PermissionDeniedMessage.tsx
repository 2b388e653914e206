import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';

/** Shown instead of a status the user may not read (403 from the API). */
export function PermissionDeniedMessage(props: {
  title: string;
  permission: string;
}) {
  return (
    <Alert severity="warning">
      <AlertTitle>{props.title}</AlertTitle>
      Ask the entity's owners or a Backstage admin for the{' '}
      <code>{props.permission}</code> permission.
    </Alert>
  );
}
