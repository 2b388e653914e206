import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import type { ReactNode } from 'react';
import { statusCodeOf } from '../../lib/statusCodeOf';
import { PermissionDeniedMessage } from '../EntityStatusGate';

/** Loading, permission denied or error for one admin read; else its content. */
export function AdminSection<T>(props: {
  state: { loading: boolean; error?: Error; value?: T };
  deniedTitle: string;
  permission: string;
  children: (value: T) => ReactNode;
}) {
  const { state } = props;
  if (state.loading) {
    return <Progress />;
  }
  if (state.error && statusCodeOf(state.error) === 403) {
    return (
      <PermissionDeniedMessage
        title={props.deniedTitle}
        permission={props.permission}
      />
    );
  }
  if (state.error) {
    return <ResponseErrorPanel error={state.error} />;
  }
  return state.value === undefined ? null : <>{props.children(state.value)}</>;
}
