import { Pagination } from '@mantine/core';
import { useTranslation } from 'react-i18next';

// Page controls under a list, with translated names for the arrow buttons; nothing for one page.
export function ListPagination(props: {
  total: number;
  value: number;
  onChange: (page: number) => void;
}) {
  const { t } = useTranslation();
  if (props.total <= 1) return null;
  return (
    <Pagination
      total={props.total}
      value={props.value}
      onChange={props.onChange}
      getControlProps={(c) => ({ 'aria-label': t(`pagination.${c}`) })}
    />
  );
}
