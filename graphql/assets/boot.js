// Boot script for the Felles GraphiQL page (served by graphql.GraphiQLHandler).
//
// It lives in its own file, not inline in the HTML, so that the page's
// Content-Security-Policy can say script-src 'self' with no 'unsafe-inline'.
// It relies on the UMD globals React, ReactDOM and GraphiQL, loaded by the
// <script> tags before it. The GraphQL endpoint is read from the
// data-endpoint attribute of the #graphiql element (HTML-escaped by the
// server), never interpolated into script text.
(function () {
  'use strict';

  var root = document.getElementById('graphiql');
  if (!root) {
    return;
  }
  var endpoint = root.getAttribute('data-endpoint') || '/graphql';

  var defaultHeaders =
    '{\n' +
    '  "Authorization": "Bearer <paste a token from: felles token --user hub-coordinator --org hub>"\n' +
    '}\n';

  var defaultQuery = [
    '# Welcome to Felles GraphiQL.',
    '# Put a token into Headers (below), from:',
    '#   felles token --user hub-coordinator --org hub',
    '# then run with the play button or Ctrl-Enter.',
    '',
    'query Overview {',
    '  viewer {',
    '    user',
    '    organisation {',
    '      id',
    '    }',
    '    roles',
    '  }',
    '  procurements(first: 10) {',
    '    edges {',
    '      node {',
    '        id',
    '        title',
    '        phase',
    '      }',
    '    }',
    '  }',
    '}',
    ''
  ].join('\n');

  var fetcher = GraphiQL.createFetcher({ url: endpoint });

  ReactDOM.createRoot(root).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: defaultQuery,
      defaultHeaders: defaultHeaders,
      defaultEditorToolsVisibility: 'headers',
      isHeadersEditorEnabled: true
    })
  );
})();
