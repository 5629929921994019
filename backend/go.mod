module github.com/connect4go/connect4/backend

go 1.26.8

require github.com/connect4go/connect4/shared v0.0.0

replace github.com/connect4go/connect4/shared => ../shared
