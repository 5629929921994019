module github.com/connect4go/connect4/shared

go 1.26.8
